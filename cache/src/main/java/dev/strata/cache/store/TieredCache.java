package dev.strata.cache.store;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.VaryKey;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two tiers together: memory (L1) in front of disk (L2). A disk hit is promoted to memory; a
 * store writes both; an invalidation removes from both. Responses above a size skip memory.
 *
 * <p>A lookup selects the response for a request (RFC 9111 §4.1): the URL's key holds either its
 * one response or a {@link VaryMarker}; for a marker, the request's values of the nominated fields
 * give the {@link VaryKey} of its variant. The request fields are those a fill would forward
 * upstream, so that what selects a variant is exactly what the origin saw when it produced it.
 *
 * <p>{@link #lookupMemory} is safe on an I/O thread; {@link #lookupDisk}, {@link #store} and
 * {@link #invalidate} block on disk and belong on a worker. Thread-safe. Closing closes both tiers.
 *
 * <p>Purges of a prefix, a surrogate key, a URL or everything are {@link PurgeMarker}s judged as
 * entries are looked up ({@link PurgeMarkers}): a purged entry reads as a miss, a soft-purged one
 * as stale. The disk tier keeps the markers, so a restarted node never serves what it had purged.
 *
 * <p>Beside a stored response, its encoded variants ({@link EncodedKey}: the same body compressed
 * in a content coding) are kept so that it is compressed once: looked up after the response, and
 * used only while they encode its body ({@link EncodedBody#isEncodingOf}), so purges, freshness and
 * validation stay the response's business. Invalidating a URL removes them with it.
 *
 * <p>The disk tier is a {@link DiskTier}, or an {@link UnavailableTier} for a node whose cache
 * directory could not be opened: that node serves from memory and upstream.
 *
 * <p>Memory keeps bodies in direct memory ({@link Body#toDirect}), copied there once when an entry
 * enters it, so that every hit is written to its socket from the shared bytes without the copy the
 * JDK makes of a heap buffer on each write. When the JVM's direct memory could not hold the memory
 * tier's budget, or runs out, bodies stay on the heap (logged once).
 */
public final class TieredCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TieredCache.class);
    private static final Function<String, List<String>> NO_FIELDS = name -> List.of();

    private final MemoryTier memory;
    private final CacheTier disk;
    private final long maxMemoryObjectBytes;
    private final PurgeMarkers markers = new PurgeMarkers();
    private volatile long purgeLogSeq;
    private volatile boolean open = true;
    private final AtomicBoolean directBodies = new AtomicBoolean(true);

    /** Both tiers, any object in memory. */
    public TieredCache(MemoryTier memory, CacheTier disk) {
        this(memory, disk, Long.MAX_VALUE);
    }

    /**
     * Both tiers.
     *
     * @param maxMemoryObjectBytes responses with a larger body live on disk only, so a few large
     *     objects cannot push many small hot ones out of memory
     */
    public TieredCache(MemoryTier memory, CacheTier disk, long maxMemoryObjectBytes) {
        this.memory = memory;
        this.disk = disk;
        this.maxMemoryObjectBytes = maxMemoryObjectBytes;
        disk.purgeMarkers().forEach(markers::add); // blocking, once: purges survive restarts
        this.purgeLogSeq = disk.purgeLogSeq();
        long maxDirect = maxDirectMemory();
        // Evicted bodies are freed by the collector, later: leave room beyond the budget.
        if (memory.maxBytes() > maxDirect / 2) {
            directBodies.set(false);
            log.warn(
                    "memory tier of {} bytes: keeping its bodies on the heap, as the JVM's direct memory ({} bytes)"
                            + " is not twice that (-XX:MaxDirectMemorySize); hits are copied on each write",
                    memory.maxBytes(),
                    maxDirect);
        }
    }

    /** The JVM's limit on direct memory: {@code -XX:MaxDirectMemorySize}, by default the heap's. */
    private static long maxDirectMemory() {
        try {
            String value = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize")
                    .getValue();
            long configured = Long.parseLong(value);
            if (configured > 0) {
                return configured;
            }
        } catch (RuntimeException e) { // not HotSpot: the JDK's default
            log.debug("MaxDirectMemorySize unknown: {}", e.toString());
        }
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * {@code response} as memory holds it: with its body in direct memory, or as it is when direct
     * memory is not used or exhausted. Called before an entry enters memory, so that the entry a
     * lookup returns is the very one memory holds (identity matters to revalidation).
     */
    private CachedResponse resident(CachedResponse response) {
        return directBodies.get() ? inDirectMemory(response, CachedResponse::withDirectBody) : response;
    }

    /** Like {@link #resident(CachedResponse)} for an encoded variant. */
    private EncodedBody resident(EncodedBody encoded) {
        return directBodies.get() ? inDirectMemory(encoded, EncodedBody::withDirectBody) : encoded;
    }

    /** {@code moved} applied to {@code entry}, or {@code entry} itself when direct memory is exhausted. */
    private <T> T inDirectMemory(T entry, UnaryOperator<T> moved) {
        try {
            return moved.apply(entry);
        } catch (OutOfMemoryError e) {
            if (directBodies.compareAndSet(true, false)) {
                log.warn(
                        "direct memory exhausted ({}): memory-tier bodies stay on the heap from now on;"
                                + " raise -XX:MaxDirectMemorySize above twice cache.memory",
                        e.getMessage());
            }
            return entry;
        }
    }

    private boolean fitsMemory(CachedResponse response) {
        return response.body().length() <= maxMemoryObjectBytes;
    }

    /**
     * Puts a response that does not vary into memory, or — too large for memory — removes what
     * memory held for its URL, so an older copy there can never shadow the new one on disk.
     * Non-blocking; the disk write is the caller's.
     */
    public void storeInMemory(CacheKey key, CachedResponse response) {
        if (fitsMemory(response)) {
            memory.store(key, resident(response));
        } else {
            memory.invalidate(key);
        }
    }

    /** Like {@link #storeInMemory(CacheKey, CachedResponse)} for a variant and its URL's marker. */
    public void storeInMemory(VaryKey key, CachedResponse response) {
        if (fitsMemory(response)) {
            memory.store(key, resident(response));
        } else {
            memory.invalidate(key.primary());
        }
    }

    /**
     * The memory entry a request selects, or null. Non-blocking.
     *
     * @param requestFields every value of a request field by lower-case name (empty when absent);
     *     called only when the URL varies
     */
    public @Nullable CachedResponse lookupMemory(CacheKey key, Function<String, List<String>> requestFields) {
        StoredEntry entry = memory.lookup(key);
        if (entry instanceof VaryMarker marker) {
            VaryKey variantKey = VaryKey.of(key, marker.fieldNames(), requestFields);
            CachedResponse variant = memory.lookup(variantKey);
            if (variant == null || markers.isEmpty()) {
                return variant;
            }
            return judged(key, variant, false, stale -> memory.replace(variantKey, variant, stale));
        }
        if (!(entry instanceof CachedResponse response)) {
            return null;
        }
        return markers.isEmpty()
                ? response
                : judged(key, response, false, stale -> memory.replace(key, response, stale));
    }

    /**
     * {@code found} as the purges judge it: itself, null when purged, or — soft-purged — stale, its
     * lifetime cut to zero, and put in memory in that form (in place of the entry read, or promoted
     * from disk) so that every later lookup returns this same entry until a refresh replaces it (a
     * background revalidation checks by identity that the entry it refreshes is still current).
     *
     * @param fromDisk whether {@code found} was read from disk: a kept one is then promoted
     * @param putInMemory puts the entry to serve in memory
     */
    private @Nullable CachedResponse judged(
            CacheKey key, CachedResponse found, boolean fromDisk, Consumer<CachedResponse> putInMemory) {
        CachedResponse served =
                switch (markers.judge(key, found)) {
                    case GONE -> null;
                    case STALE -> expired(found);
                    case KEEP -> found;
                };
        if (served != null && (fromDisk || served != found) && fitsMemory(served)) {
            served = resident(served); // what a lookup returns is what memory holds
            putInMemory.accept(served);
        }
        return served;
    }

    private static CachedResponse expired(CachedResponse response) {
        Freshness freshness = response.freshness();
        if (freshness.lifetime().isZero()) {
            return response;
        }
        return new CachedResponse(
                response.status(),
                response.headers(),
                response.body(),
                response.storedAtMillis(),
                new Freshness(
                        Duration.ZERO,
                        freshness.age(),
                        freshness.staleWhileRevalidate(),
                        freshness.staleIfError(),
                        freshness.mustRevalidate(),
                        freshness.noCache()));
    }

    /** The memory entry of {@code key} for a request without any field a URL may vary on. */
    public @Nullable CachedResponse lookupMemory(CacheKey key) {
        return lookupMemory(key, NO_FIELDS);
    }

    /**
     * The disk entry a request selects, promoted to memory when found, or null. Blocking.
     *
     * @param requestFields as for {@link #lookupMemory(CacheKey, Function)}
     */
    public @Nullable CachedResponse lookupDisk(CacheKey key, Function<String, List<String>> requestFields) {
        StoredEntry entry = disk.lookup(key);
        if (entry instanceof VaryMarker marker) {
            VaryKey variantKey = VaryKey.of(key, marker.fieldNames(), requestFields);
            CachedResponse variant = disk.lookup(variantKey);
            return variant == null ? null : judged(key, variant, true, kept -> memory.promote(variantKey, kept));
        }
        return entry instanceof CachedResponse found
                ? judged(key, found, true, kept -> memory.promote(key, kept))
                : null;
    }

    /** The disk entry of {@code key} for a request without any field a URL may vary on. Blocking. */
    public @Nullable CachedResponse lookupDisk(CacheKey key) {
        return lookupDisk(key, NO_FIELDS);
    }

    /** Stores a response that does not vary in both tiers. Blocking. */
    public void store(CacheKey key, CachedResponse response) {
        storeInMemory(key, response);
        disk.store(key, response);
    }

    /** Stores a variant (and its URL's marker) in both tiers. Blocking. */
    public void store(VaryKey key, CachedResponse response) {
        storeInMemory(key, response);
        disk.store(key, response);
    }

    /** The encoded variant {@code key} in memory, or null. Non-blocking. */
    public @Nullable EncodedBody lookupMemory(EncodedKey key) {
        return memory.lookup(key);
    }

    /** The encoded variant {@code key} on disk, promoted to memory when found, or null. Blocking. */
    public @Nullable EncodedBody lookupDisk(EncodedKey key) {
        EncodedBody found = disk.lookup(key);
        if (found != null && found.body().length() <= maxMemoryObjectBytes) {
            found = resident(found);
            memory.promote(key, found);
        }
        return found;
    }

    /** Puts an encoded variant into memory, when it fits there. Non-blocking; the disk write is the caller's. */
    public void storeInMemory(EncodedKey key, EncodedBody encoded) {
        if (encoded.body().length() <= maxMemoryObjectBytes) {
            memory.store(key, resident(encoded));
        }
    }

    /** Stores an encoded variant in both tiers. Blocking. */
    public void store(EncodedKey key, EncodedBody encoded) {
        storeInMemory(key, encoded);
        disk.store(key, encoded);
    }

    /** Removes a URL's entry and all its variants from both tiers. Blocking. */
    public void invalidate(CacheKey key) {
        memory.invalidate(key);
        disk.invalidate(key);
    }

    /**
     * Applies a purge on this node: every entry it names that was stored at or before {@code
     * marker.atMillis()} is a miss (or, soft, stale) from now on, in both tiers, also after a
     * restart. Applying it is constant work whatever it names; blocking (it is written to disk).
     *
     * @throws CacheStorageException when the disk tier could not keep the marker: it is judged in
     *     memory from now on, but would be lost at a restart, so the caller must apply it again
     */
    public void purge(PurgeMarker marker) {
        disk.storePurgeMarker(markers.add(marker));
    }

    /**
     * The sequence number of the last purge-log entry applied to this cache (0 for none), as kept
     * with it across restarts. Non-blocking.
     */
    public long purgeLogSeq() {
        return purgeLogSeq;
    }

    /**
     * Records that every purge-log entry up to {@code seq} is applied: call it after {@link #purge}
     * has applied the entry's markers. Blocking (written to disk).
     *
     * @throws CacheStorageException when the disk tier could not keep it
     */
    public void storePurgeLogSeq(long seq) {
        disk.storePurgeLogSeq(seq);
        purgeLogSeq = seq;
    }

    /** The purges applied on this node, judged at each lookup. */
    public PurgeMarkers purgeMarkers() {
        return markers;
    }

    public MemoryTier memory() {
        return memory;
    }

    /** The disk tier: a {@link DiskTier}, or an {@link UnavailableTier} when the directory could not open. */
    public CacheTier disk() {
        return disk;
    }

    /** Whether the cache is open: true until {@link #close()}. */
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        memory.close();
        disk.close();
    }
}
