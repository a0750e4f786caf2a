package dev.strata.origin;

/** The origin cannot start: its directory is unusable or it cannot listen where it was told. */
public final class OriginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception whose message names the offending value and what was expected. */
    public OriginException(String message) {
        super(message);
    }

    /** As {@link #OriginException(String)}, keeping the underlying cause. */
    public OriginException(String message, Throwable cause) {
        super(message, cause);
    }
}
