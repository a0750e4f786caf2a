package dev.strata.cache.store;

/** A cache storage directory that cannot be used, with the reason for an operator. */
public final class CacheStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CacheStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
