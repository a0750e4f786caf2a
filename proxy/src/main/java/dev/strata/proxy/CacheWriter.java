package dev.strata.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.fresh.Storability;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.VaryKey;
import dev.strata.cache.lookup.Validators;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.cache.store.PurgeMarkers;
import dev.strata.cache.store.TieredCache;
import dev.strata.config.CachePolicyConfig;
import dev.strata.upstream.UpstreamResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the cache from any thread without blocking it: memory at once, disk on the lane of the
 * URL's key (so writes and invalidations of one URL, variants included, keep their order). A full
 * lane skips the disk write; the memory tier still has the entry.
 *
 * <p>A response with {@code Vary} is stored as a variant (RFC 9111 §4.1): under the {@link
 * VaryKey} its nominated fields take in the request that fetched it, as that request was sent
 * upstream ({@link Requests#fillHeaders}), with its URL's marker naming those fields.
 *
 * <p>A fill or revalidation takes the URL's {@link #generation} when it starts and stores its
 * answer only if no invalidation came meanwhile: an answer fetched before a {@code POST} changed
 * the resource must not be stored after the {@code POST} removed the old entry (RFC 9111 §4.4).
 */
final class CacheWriter {
    private static final Logger log = LoggerFactory.getLogger(CacheWriter.class);

    private final TieredCache cache;
    private final DiskLanes lanes;
    /**
     * The generation of each recently invalidated URL. Bounded: an entry older than any fill can be
     * (or pushed out by 100,000 later invalidations) is forgotten, and its URL reads generation 0.
     */
    private final Cache<CacheKey, Long> invalidated = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    private final AtomicLong generations = new AtomicLong();

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

    /** The URL's generation: it changes with every invalidation of the URL. Non-blocking. */
    long generation(CacheKey key) {
        Long generation = invalidated.getIfPresent(key);
        return generation == null ? 0 : generation;
    }

    /**
     * Stores {@code response} for {@code key}: as the URL's one response, or as the variant its
     * {@code Vary} and {@code sentUpstream} select; nothing when the URL was invalidated since the
     * request that fetched it started.
     *
     * @param sentUpstream the header fields of the request that fetched or validated the response,
     *     as sent upstream
     * @param generation the URL's {@link #generation} when that request started
     * @param requestedAtMillis when that request was sent: a purge applied since names the answer
     * @return whether it was stored
     */
    boolean store(
            CacheKey key, HeaderList sentUpstream, CachedResponse response, long generation, long requestedAtMillis) {
        if (generation(key) != generation) {
            log.debug("not storing {}: invalidated while it was being fetched", key);
            return false;
        }
        if (cache.purgeMarkers().judge(key, response.headers(), requestedAtMillis) != PurgeMarkers.Verdict.KEEP) {
            log.debug("not storing {}: purged while it was being fetched", key);
            return false;
        }
        List<String> fields = VaryKey.fieldNames(response.headers().all("Vary"));
        if (VaryKey.isAny(fields)) {
            log.debug("not storing {}: Vary: * matches no later request", key); // Storability refuses these
            return false;
        }
        if (fields.isEmpty()) {
            cache.storeInMemory(key, response);
            onDisk(key, generation, () -> cache.disk().store(key, response));
        } else {
            VaryKey variant = VaryKey.of(key, fields, sentUpstream::all);
            cache.storeInMemory(variant, response);
            onDisk(key, generation, () -> cache.disk().store(variant, response));
        }
        if (generation(key) != generation) {
            // An invalidation ran between the check and the memory write: undo the write.
            cache.memory().invalidate(key);
            return false;
        }
        return true;
    }
    /**
     * A stored entry refreshed by a matching 304 (RFC 9111 §4.3.4), as the client being answered
     * gets it: per-client fields of the 304 (a cookie) included; {@link #storeRefreshed} keeps them
     * out of the cache.
     */
    static CachedResponse refreshed(CachedResponse stored, UpstreamResponse notModified, CachePolicyConfig policy) {
        return Validators.refreshed(
                stored,
                Responses.refreshing(notModified.headers()),
                notModified.requestTimeMillis(),
                notModified.responseTimeMillis(),
                policy);
    }

    /**
     * Stores a refreshed entry without its per-client fields, or drops the stored entry when the
     * 304's fields made it unstorable (§3: {@code private}, {@code no-store}).
     *
     * @param request the request the refresh answered, for the Authorization rules of §3.5
     * @param generation the URL's {@link #generation} when the validation started
     * @param requestedAtMillis when the validation was sent
     * @return whether the refreshed entry was stored
     */
    boolean storeRefreshed(
            CacheKey key,
            HeaderList sentUpstream,
            HeaderList request,
            CachedResponse refreshed,
            CachePolicyConfig policy,
            long generation,
            long requestedAtMillis) {
        CachedResponse shared = new CachedResponse(
                refreshed.status(),
                refreshed.headers().without(Requests.PER_CLIENT_RESPONSE_FIELDS),
                refreshed.body(),
                refreshed.storedAtMillis(),
                refreshed.freshness());
        if (Storability.isStorable("GET", shared.status(), request, shared.headers(), policy)) {
            return store(key, sentUpstream, shared, generation, requestedAtMillis);
        }
        invalidate(key);
        return false;
    }

    /**
     * Whether memory still holds {@code expected} for the request that sent {@code sentUpstream}:
     * a background result is stored only then, so it never overwrites a newer fill or brings back
     * an invalidated entry.
     */
    @SuppressWarnings("ReferenceEquality") // the very entry read, not an equal one
    boolean isCurrent(CacheKey key, HeaderList sentUpstream, CachedResponse expected) {
        return cache.lookupMemory(key, sentUpstream::all) == expected;
    }

    /**
     * Removes a URL with all its variants, from memory at once and from disk on its lane. An
     * invalidation is never dropped for a full lane: a missed one would bring the entry back from
     * disk after a memory eviction or a restart.
     */
    void invalidate(CacheKey key) {
        invalidated.put(key, generations.incrementAndGet());
        cache.memory().invalidate(key);
        lanes.executeAlways(key, () -> {
            cache.disk().invalidate(key);
            cache.memory().invalidate(key);
        });
    }

    /** Queues a disk write for {@code key}, skipped when the URL was invalidated since {@code generation}. */
    private void onDisk(CacheKey key, long generation, Runnable task) {
        try {
            lanes.execute(key, () -> {
                if (generation(key) == generation) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("disk lane full: skipped a disk write for {}", key);
        }
    }
}
