package dev.strata.cache.store;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.VaryKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One storage tier of the cache. Implementations are thread-safe and bounded by bytes; they never
 * return a partially written entry.
 *
 * <p>A URL's key holds either its one response or, when its responses vary (RFC 9111 §4.1), a
 * {@link VaryMarker}; the variants themselves live under {@link VaryKey}s. Selecting the response
 * for a request is therefore two lookups: the key, then, for a marker, the variant the request's
 * fields select ({@link TieredCache} does this). Invalidating a key removes its variants too.
 */
public interface CacheTier extends AutoCloseable {
    /** The entry stored under {@code key}: a response, a {@link VaryMarker}, or null when absent. */
    @Nullable
    StoredEntry lookup(CacheKey key);

    /**
     * The variant stored under {@code key}, or null when absent or no longer reachable (its URL's
     * marker is gone or nominates other fields).
     */
    @Nullable
    CachedResponse lookup(VaryKey key);

    /** Stores a response that does not vary under {@code key}, replacing what was there. */
    void store(CacheKey key, CachedResponse response);

    /**
     * Stores a variant: the marker of its fields under its URL's key (replacing a response or a
     * marker of other fields there) and {@code response} under {@code key}. Other variants of the
     * URL with the same fields stay.
     */
    void store(VaryKey key, CachedResponse response);

    /** Removes the entry of {@code key} and all its variants, if any. */
    void invalidate(CacheKey key);

    /**
     * The encoded variant stored under {@code key}, or null; whether it still encodes the response
     * it was made from is the caller's check ({@link EncodedBody#isEncodingOf}). A tier that keeps
     * none returns null.
     */
    default @Nullable EncodedBody lookup(EncodedKey key) {
        return null;
    }

    /**
     * Stores an encoded variant under {@code key}, replacing what was there. Invalidating its URL
     * removes it. A tier that keeps none ignores it.
     */
    default void store(EncodedKey key, EncodedBody body) {}

    /** The purge markers this tier keeps across restarts; empty for a tier that keeps none. */
    default List<PurgeMarker> purgeMarkers() {
        return List.of();
    }

    /**
     * Keeps {@code marker} across restarts, replacing the one of its target and kind. A tier that
     * does not outlive the process ignores it.
     *
     * @throws CacheStorageException when the tier could not keep it: the purge is not applied for
     *     good, and the caller must not record it as applied
     */
    default void storePurgeMarker(PurgeMarker marker) {}

    /**
     * The sequence number of the last purge-log entry applied to this tier's cache, kept across
     * restarts together with the markers; 0 when none was (or for a tier that keeps none).
     */
    default long purgeLogSeq() {
        return 0;
    }

    /**
     * Keeps {@code seq} as the last purge-log entry applied; written after the entry's markers, so a
     * crash between the two re-applies the entry (one extra refill), never skips it.
     *
     * @throws CacheStorageException when the tier could not keep it
     */
    default void storePurgeLogSeq(long seq) {}

    /** Releases the tier's resources; it is unusable afterwards. */
    @Override
    void close();
}
