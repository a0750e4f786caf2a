package dev.strata.cache.store;

/** A cache storage directory that cannot be used, with the reason for an operator. */
public final class CacheStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean inUse;

    private CacheStorageException(String message, Throwable cause, boolean inUse) {
        super(message, cause);
        this.inUse = inUse;
    }

    /** The directory is held by another process or another open tier: a configuration mistake. */
    static CacheStorageException inUse(String message, Throwable cause) {
        return new CacheStorageException(message, cause, true);
    }

    /** The directory or the storage engine cannot be used: no space, no permission, no native library. */
    static CacheStorageException unusable(String message, Throwable cause) {
        return new CacheStorageException(message, cause, false);
    }

    /**
     * A write the caller must not take as done failed (a purge marker, the purge log's sequence): a
     * full disk, an I/O error. The tier keeps serving; the caller retries.
     */
    static CacheStorageException writeFailed(String message, Throwable cause) {
        return new CacheStorageException(message, cause, false);
    }

    /**
     * Whether another process or tier holds the directory. Two nodes on one directory is an
     * operator's mistake to refuse; any other failure is the machine's, which a node survives by
     * serving without its disk tier.
     */
    public boolean inUse() {
        return inUse;
    }
}
