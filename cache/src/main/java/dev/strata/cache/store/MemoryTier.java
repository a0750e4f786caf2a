package dev.strata.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.cache.key.CacheKey;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The memory tier: a Caffeine cache bounded by bytes (each entry weighs its body and headers),
 * with Caffeine's W-TinyLFU admission and eviction. Lookups are non-blocking and cheap enough for
 * an I/O thread.
 */
public final class MemoryTier implements CacheTier {
    private final Cache<CacheKey, CachedResponse> cache;

    private MemoryTier(Cache<CacheKey, CachedResponse> cache) {
        this.cache = cache;
    }

    /** A tier holding at most {@code maxBytes}, maintained on Caffeine's default executor. */
    public static MemoryTier create(long maxBytes) {
        return create(maxBytes, null);
    }

    /**
     * A tier holding at most {@code maxBytes}.
     *
     * @param maintenance where eviction work runs; null for Caffeine's default ({@code
     *     Runnable::run} in tests makes it deterministic)
     */
    public static MemoryTier create(long maxBytes, @Nullable Executor maintenance) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumWeight(maxBytes);
        if (maintenance != null) {
            builder.executor(maintenance);
        }
        return new MemoryTier(builder.<CacheKey, CachedResponse>weigher(
                        (key, response) -> (int) Math.min(Integer.MAX_VALUE, response.weight()))
                .build());
    }

    @Override
    public @Nullable CachedResponse lookup(CacheKey key) {
        return cache.getIfPresent(key);
    }

    @Override
    public void store(CacheKey key, CachedResponse response) {
        cache.put(key, response);
    }

    @Override
    public void invalidate(CacheKey key) {
        cache.invalidate(key);
    }

    /** The number of entries (approximate while maintenance is pending). */
    public long size() {
        return cache.estimatedSize();
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
