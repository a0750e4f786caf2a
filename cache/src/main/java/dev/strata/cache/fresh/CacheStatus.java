package dev.strata.cache.fresh;

/** How a response was served: exactly what the {@code X-Cache} response header says. */
public enum CacheStatus {
    /** Served from the cache, fresh. */
    HIT,
    /** Not in the cache (or not usable); fetched from upstream and stored when storable. */
    MISS,
    /** Served from the cache past its freshness. */
    STALE,
    /** A stale entry confirmed by the upstream with 304 and served. */
    REVALIDATED,
    /** Not cacheable by method or request; forwarded upstream and not stored. */
    PASS
}
