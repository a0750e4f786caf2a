package dev.strata.upstream;

/**
 * No usable answer from upstream: every host tried failed to connect, timed out, or answered with
 * a response too large to buffer. The message names the hosts and the reason.
 */
public class UpstreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean timeout;

    public UpstreamException(String message, boolean timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** Whether the last failure was a timeout (a gateway answers 504 rather than 502). */
    public boolean isTimeout() {
        return timeout;
    }
}
