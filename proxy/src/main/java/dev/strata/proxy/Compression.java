package dev.strata.proxy;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.VaryKey;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.EncodedBody;
import dev.strata.cache.store.TieredCache;
import dev.strata.proxy.compress.AcceptEncoding;
import dev.strata.proxy.compress.CompressionPolicy;
import dev.strata.proxy.compress.Compressor;
import dev.strata.proxy.compress.ContentCoding;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge's response compression at run time (docs/adr/0013-compression.md): which coding a
 * request gets, and the encoded variants of stored responses — compressed once, kept in the cache
 * beside the response, found again by later requests.
 *
 * <p>Getting an encoded variant that memory does not hold never blocks the thread that asks: it
 * looks on disk on the URL's disk lane, and when the disk has none either it compresses on a
 * bounded pool of its own ({@code ROLE-NAME-compress-N}); a body of at most {@link #INLINE_BYTES}
 * is compressed at once on the asking thread instead, which costs less than the hand-over.
 * Concurrent requests for one variant share one compression. A full queue or a failing encoder
 * completes with nothing, and the response goes out as the identity.
 *
 * <p>Thread-safe. The pool submits without locks (an I/O thread submits), like {@link DiskLanes}.
 */
final class Compression implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Compression.class);

    /** Bodies up to this size are compressed on the thread that asks: a few tens of microseconds. */
    static final int INLINE_BYTES = 2048;

    private static final int QUEUE = 1024;

    private final Supplier<CompressionPolicy> policy;
    private final Compressor compressor;
    private final TieredCache cache;
    private final DiskLanes lanes;
    private final CompressionMeters meters;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final Map<EncodedKey, CompletableFuture<@Nullable EncodedBody>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param owner names the pool's threads ({@code ROLE-NAME})
     * @param policy the policy now: read once per response
     */
    Compression(
            String owner,
            Supplier<CompressionPolicy> policy,
            Compressor compressor,
            TieredCache cache,
            DiskLanes lanes,
            CompressionMeters meters) {
        this.policy = policy;
        this.compressor = compressor;
        this.cache = cache;
        this.lanes = lanes;
        this.meters = meters;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        this.pool =
                new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedTransferQueue<>(), task -> {
                    Thread thread = new Thread(task, owner + "-compress-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    CompressionPolicy policy() {
        return policy.get();
    }

    CompressionMeters meters() {
        return meters;
    }

    /**
     * The coding the exchange's client prefers ({@link AcceptEncoding}), or null for the identity:
     * also for a request that says {@code Cache-Control: no-transform} (RFC 9111 §5.2.1.6).
     */
    @Nullable
    ContentCoding select(HttpServerExchange exchange) {
        HeaderValues acceptEncoding = exchange.getRequestHeaders().get(Headers.ACCEPT_ENCODING);
        if (acceptEncoding == null) {
            return null;
        }
        HeaderValues cacheControl = exchange.getRequestHeaders().get(Headers.CACHE_CONTROL);
        if (cacheControl != null) {
            for (String value : cacheControl) {
                if (CompressionPolicy.hasNoTransform(value)) {
                    return null;
                }
            }
        }
        return AcceptEncoding.select(acceptEncoding, compressor.brotli());
    }

    /**
     * The key of {@code stored}'s variant in {@code coding}: beside the URL's one response, or beside
     * the {@code Vary} variant the exchange selects (as its fill would be sent upstream).
     */
    static EncodedKey keyOf(HttpServerExchange exchange, CachedResponse stored, ContentCoding coding) {
        CacheKey key = exchange.getAttachment(ProxyKeys.CACHE_KEY);
        List<String> fields = VaryKey.fieldNames(stored.headers().all("Vary"));
        return fields.isEmpty() || VaryKey.isAny(fields)
                ? EncodedKey.of(key, coding.token())
                : EncodedKey.of(VaryKey.of(key, fields, Requests.fillFields(exchange)), coding.token());
    }

    /** The variant {@code key} in memory when it encodes {@code source}'s body; else null. Non-blocking. */
    @Nullable
    EncodedBody inMemory(EncodedKey key, CachedResponse source) {
        EncodedBody found = cache.lookupMemory(key);
        return found != null && found.isEncodingOf(source) ? found : null;
    }

    /**
     * The variant {@code key} of the stored {@code source}: read from disk, or compressed now and
     * stored (memory at once, disk on the URL's lane). Concurrent calls for one key share one future;
     * check what it gives with {@link EncodedBody#isEncodingOf} (a call for an older body may have
     * been under way). Completes with null when it cannot be had.
     */
    CompletableFuture<@Nullable EncodedBody> encoded(EncodedKey key, CachedResponse source, ContentCoding coding) {
        CompletableFuture<@Nullable EncodedBody> made = new CompletableFuture<>();
        CompletableFuture<@Nullable EncodedBody> running = inFlight.putIfAbsent(key, made);
        if (running != null) {
            return running;
        }
        made.whenComplete((body, failure) -> inFlight.remove(key, made));
        EncodedBody stored = inMemory(key, source);
        if (stored != null) { // one that ended between this request's memory lookup and now
            made.complete(stored);
            return made;
        }
        CompressionPolicy now = policy();
        if (source.body().length() <= INLINE_BYTES) {
            made.complete(store(key, source, coding, now));
            return made;
        }
        try {
            lanes.execute(key.primary(), () -> {
                EncodedBody onDisk = cache.lookupDisk(key);
                if (onDisk != null && onDisk.isEncodingOf(source)) {
                    made.complete(onDisk);
                } else {
                    submit(made, () -> store(key, source, coding, now));
                }
            });
        } catch (RejectedExecutionException e) {
            submit(made, () -> store(key, source, coding, now)); // a full lane: compress without looking
        }
        return made;
    }

    /**
     * {@code body} in {@code coding}, for a response that is not stored (PASS): compressed on the
     * pool, or at once when tiny; null when it cannot be.
     */
    CompletableFuture<byte @Nullable []> compressed(byte[] body, ContentCoding coding) {
        CompressionPolicy now = policy();
        CompletableFuture<byte @Nullable []> made = new CompletableFuture<>();
        if (body.length <= INLINE_BYTES) {
            made.complete(compressOrNull(coding, body, now));
        } else {
            submit(made, () -> compressOrNull(coding, body, now));
        }
        return made;
    }

    /** Runs {@code work} on the pool to complete {@code future}; completes it with null when the queue is full. */
    private <T> void submit(CompletableFuture<@Nullable T> future, Supplier<@Nullable T> work) {
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            meters.skipped(CompressionMeters.Skip.QUEUE_FULL);
            future.complete(null);
            return;
        }
        try {
            pool.execute(() -> {
                queued.decrementAndGet();
                future.complete(work.get());
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            meters.skipped(CompressionMeters.Skip.QUEUE_FULL);
            future.complete(null);
        }
    }

    /** Compresses {@code source}'s body and stores the variant; null when the encoder failed. */
    private @Nullable EncodedBody store(
            EncodedKey key, CachedResponse source, ContentCoding coding, CompressionPolicy now) {
        byte[] bytes = compressOrNull(coding, source.body().toArray(), now);
        if (bytes == null) {
            return null;
        }
        EncodedBody made = EncodedBody.of(coding.token(), source, bytes);
        cache.storeInMemory(key, made);
        try {
            lanes.execute(key.primary(), () -> cache.disk().store(key, made));
        } catch (RejectedExecutionException e) {
            log.debug("disk lane full: skipped storing {} on disk", key);
        }
        return made;
    }

    private byte @Nullable [] compressOrNull(ContentCoding coding, byte[] body, CompressionPolicy now) {
        long started = System.nanoTime();
        try {
            byte[] out = compressor.compress(coding, body, now);
            meters.compressed(coding, body.length, out.length, System.nanoTime() - started);
            return out;
        } catch (RuntimeException e) {
            meters.skipped(CompressionMeters.Skip.FAILED);
            long count = failures.incrementAndGet();
            if (Long.bitCount(count) == 1) { // the 1st, 2nd, 4th…: never a log flood
                log.warn("{} compression failed ({} failures so far): {}", coding.token(), count, e.toString());
            }
            return null;
        }
    }

    /** Stops the pool; compressions queued are dropped (their responses are gone with the node). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
