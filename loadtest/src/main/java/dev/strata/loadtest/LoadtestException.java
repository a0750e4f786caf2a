package dev.strata.loadtest;

/** A load run that cannot start: a target that is not on loopback, an unusable argument. */
public final class LoadtestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoadtestException(String message) {
        super(message);
    }

    public LoadtestException(String message, Throwable cause) {
        super(message, cause);
    }
}
