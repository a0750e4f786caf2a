package dev.strata.proxy;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.TieredCache;
import dev.strata.config.CachePolicyConfig;
import dev.strata.upstream.UpstreamResponse;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the cache from any thread without blocking it: memory at once, disk on the key's disk
 * lane (so writes and invalidations of one key keep their order). A full lane skips the disk write;
 * the memory tier still has the entry.
 */
final class CacheWriter {
    private static final Logger log = LoggerFactory.getLogger(CacheWriter.class);

    private final TieredCache cache;
    private final DiskLanes lanes;

    CacheWriter(TieredCache cache, DiskLanes lanes) {
        this.cache = cache;
        this.lanes = lanes;
    }

    /** The entry to store for an upstream response: relayable headers, never a per-client cookie. */
    static CachedResponse toStored(UpstreamResponse response, CachePolicyConfig policy) {
        return new CachedResponse(
                response.status(),
                Responses.relayable(response.headers()).without(Requests.PER_CLIENT_RESPONSE_FIELDS),
                response.body(),
                response.responseTimeMillis(),
                Freshness.of(
                        response.status(),
                        response.headers(),
                        response.requestTimeMillis(),
                        response.responseTimeMillis(),
                        policy));
    }

    void store(CacheKey key, CachedResponse response) {
        cache.memory().store(key, response);
        onDisk(key, () -> cache.disk().store(key, response));
    }

    void invalidate(CacheKey key) {
        cache.memory().invalidate(key);
        onDisk(key, () -> cache.disk().invalidate(key));
    }

    private void onDisk(CacheKey key, Runnable task) {
        try {
            lanes.execute(key, task);
        } catch (RejectedExecutionException e) {
            log.debug("disk lane full: skipped a disk write for {}", key);
        }
    }
}
