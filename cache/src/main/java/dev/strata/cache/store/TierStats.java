package dev.strata.cache.store;

/**
 * What a storage tier tells about itself, for the node's metrics and status page: how full it is
 * and how its reads went. Every figure is a count since the tier opened or a reading of now;
 * thread-safe. A tier that reads them from disk may block: read them off I/O threads.
 */
public interface TierStats {
    /** The bytes the tier holds now. */
    long usedBytes();

    /** The tier's byte budget. */
    long maxBytes();

    /** The entries the tier holds now, {@code Vary} markers and variants included. */
    long entryCount();

    /**
     * Reads that found an entry; a URL that varies is read twice (its marker, then its variant).
     */
    long hitCount();

    /** Reads that found nothing. */
    long missCount();
}
