package dev.strata.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.VaryKey;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The memory tier: a Caffeine cache bounded by bytes (each entry weighs its body and headers),
 * with Caffeine's W-TinyLFU admission and eviction. Lookups are non-blocking and cheap enough for
 * an I/O thread.
 *
 * <p>Variants are entries of their own, keyed by {@link VaryKey}, so each is admitted and evicted
 * on its own use. Caffeine cannot remove by prefix, so a URL's variants are tied to its marker by a
 * generation number instead: a marker is stamped with a new generation when it is created (after
 * an invalidation, an eviction, a response that does not vary, or a change of nominated fields),
 * each variant with the generation of the marker it was stored under, and a variant whose
 * generation is not its marker's is never returned. Invalidating a URL therefore removes only its
 * key, and its variants become unreachable at once; Caffeine evicts them as they go cold.
 *
 * <p>Encoded variants ({@link EncodedKey}) are entries of their own too, used only while they
 * encode the body of the response found for their URL ({@link EncodedBody#isEncodingOf}); one left
 * behind by a refill with other content is replaced when that content is compressed, or goes cold.
 */
public final class MemoryTier implements CacheTier, TierStats {
    /** What Caffeine holds: a URL's entry, or one of its variants. */
    private sealed interface Slot {
        long weight();
    }

    /** Under a {@link CacheKey}: a response or marker; {@code generation} ties variants to a marker. */
    private record Primary(StoredEntry entry, long generation) implements Slot {
        @Override
        public long weight() {
            return entry.weight();
        }
    }

    /** Under a {@link VaryKey}: a variant, valid while its URL's marker has {@code generation}. */
    private record Variant(CachedResponse response, long generation) implements Slot {
        @Override
        public long weight() {
            return response.weight();
        }
    }

    /**
     * Under an {@link EncodedKey}: an encoded variant. Not tied to a marker's generation: it is used
     * only after the response it encodes was found, and only while it encodes that very body.
     */
    private record Encoded(EncodedBody body) implements Slot {
        @Override
        public long weight() {
            return body.weight();
        }
    }

    private final Cache<Object, Slot> cache;
    private final long maxBytes;
    private final AtomicLong generations = new AtomicLong();

    private MemoryTier(Cache<Object, Slot> cache, long maxBytes) {
        this.cache = cache;
        this.maxBytes = maxBytes;
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
        // Caffeine's statistics cost a striped counter increment per read; they feed the node's
        // metrics (reads that hit or missed, evictions).
        Caffeine<Object, Object> builder =
                Caffeine.newBuilder().maximumWeight(maxBytes).recordStats();
        if (maintenance != null) {
            builder.executor(maintenance);
        }
        return new MemoryTier(
                builder.<Object, Slot>weigher((key, slot) -> (int) Math.min(Integer.MAX_VALUE, slot.weight()))
                        .build(),
                maxBytes);
    }

    @Override
    public @Nullable StoredEntry lookup(CacheKey key) {
        return cache.getIfPresent(key) instanceof Primary primary ? primary.entry() : null;
    }

    @Override
    public @Nullable CachedResponse lookup(VaryKey key) {
        if (!(cache.getIfPresent(key.primary()) instanceof Primary primary)
                || !(primary.entry() instanceof VaryMarker marker)
                || !marker.fieldNames().equals(key.fieldNames())) {
            return null;
        }
        return cache.getIfPresent(key) instanceof Variant variant && variant.generation() == primary.generation()
                ? variant.response()
                : null;
    }

    @Override
    public void store(CacheKey key, CachedResponse response) {
        cache.put(key, new Primary(response, 0));
    }

    @Override
    public void store(VaryKey key, CachedResponse response) {
        VaryMarker marker = VaryMarker.of(key);
        Slot current = cache.asMap()
                .compute(
                        key.primary(),
                        (primaryKey, old) -> old instanceof Primary primary
                                        && primary.entry().equals(marker)
                                ? old
                                : new Primary(marker, generations.incrementAndGet()));
        if (current instanceof Primary primary) { // always, unless evicted at once
            cache.put(key, new Variant(response, primary.generation()));
        }
    }

    @Override
    public @Nullable EncodedBody lookup(EncodedKey key) {
        return cache.getIfPresent(key) instanceof Encoded encoded ? encoded.body() : null;
    }

    @Override
    public void store(EncodedKey key, EncodedBody body) {
        cache.put(key, new Encoded(body));
    }

    /**
     * Puts an encoded variant read from disk, unless memory holds one for {@code key} already (as new
     * as the disk copy, or newer).
     */
    public void promote(EncodedKey key, EncodedBody body) {
        cache.asMap().putIfAbsent(key, new Encoded(body));
    }

    /**
     * Replaces {@code expected} with {@code replacement} when memory still holds exactly {@code
     * expected} for {@code key} (a newer fill is never overwritten). Non-blocking.
     */
    @SuppressWarnings("ReferenceEquality") // the very entry read, not an equal one
    public void replace(CacheKey key, CachedResponse expected, CachedResponse replacement) {
        cache.asMap()
                .computeIfPresent(
                        key,
                        (k, old) -> old instanceof Primary primary && primary.entry() == expected
                                ? new Primary(replacement, primary.generation())
                                : old);
    }

    /** Like {@link #replace(CacheKey, CachedResponse, CachedResponse)} for a variant. */
    @SuppressWarnings("ReferenceEquality") // the very entry read, not an equal one
    public void replace(VaryKey key, CachedResponse expected, CachedResponse replacement) {
        cache.asMap()
                .computeIfPresent(
                        key,
                        (k, old) -> old instanceof Variant variant && variant.response() == expected
                                ? new Variant(replacement, variant.generation())
                                : old);
    }

    /**
     * Puts an entry read from disk, unless memory already holds one for {@code key}: whatever memory
     * holds arrived after the lookup missed it, so it is at least as new as the disk copy.
     */
    public void promote(CacheKey key, CachedResponse response) {
        cache.asMap().putIfAbsent(key, new Primary(response, 0));
    }

    /**
     * Puts a variant read from disk, unless memory holds a different marker for its URL (the origin
     * changed its Vary since) or a current variant for it (a newer fill).
     */
    public void promote(VaryKey key, CachedResponse response) {
        VaryMarker marker = VaryMarker.of(key);
        Slot current = cache.asMap()
                .computeIfAbsent(key.primary(), primaryKey -> new Primary(marker, generations.incrementAndGet()));
        if (current instanceof Primary primary && primary.entry().equals(marker)) {
            cache.asMap()
                    .compute(
                            key,
                            (variantKey, old) ->
                                    old instanceof Variant variant && variant.generation() == primary.generation()
                                            ? old
                                            : new Variant(response, primary.generation()));
        }
    }

    @Override
    public void invalidate(CacheKey key) {
        cache.invalidate(key);
    }

    /** The number of entries, markers and variants included (approximate while maintenance is pending). */
    public long size() {
        return cache.estimatedSize();
    }

    /** The weights of every entry, marker and variant (approximate while maintenance is pending). */
    @Override
    public long usedBytes() {
        return cache.policy()
                .eviction()
                .map(eviction -> eviction.weightedSize().orElse(0))
                .orElse(0L);
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    /** {@link #size()}. */
    @Override
    public long entryCount() {
        return size();
    }

    /** Caffeine's count of reads that found an entry. */
    @Override
    public long hitCount() {
        return cache.stats().hitCount();
    }

    @Override
    public long missCount() {
        return cache.stats().missCount();
    }

    /** Entries evicted to stay within the byte budget since the tier was created. */
    public long evictionCount() {
        return cache.stats().evictionCount();
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
