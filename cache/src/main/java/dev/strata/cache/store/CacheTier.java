package dev.strata.cache.store;

import dev.strata.cache.key.CacheKey;
import org.jspecify.annotations.Nullable;

/**
 * One storage tier of the cache. Implementations are thread-safe and bounded by bytes; they never
 * return a partially written entry.
 */
public interface CacheTier extends AutoCloseable {
    /** The stored response for {@code key}, or null when absent. */
    @Nullable
    CachedResponse lookup(CacheKey key);

    /** Stores {@code response} under {@code key}, replacing what was there. */
    void store(CacheKey key, CachedResponse response);

    /** Removes the entry of {@code key}, if any. */
    void invalidate(CacheKey key);

    /** Releases the tier's resources; it is unusable afterwards. */
    @Override
    void close();
}
