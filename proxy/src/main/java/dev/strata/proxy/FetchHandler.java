package dev.strata.proxy;

import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.fresh.CacheControl;
import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.fresh.Storability;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.lookup.CacheStatusField;
import dev.strata.cache.lookup.Invalidation;
import dev.strata.cache.lookup.LookupResult;
import dev.strata.cache.lookup.Validators;
import dev.strata.cache.store.Body;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.ByteSize;
import dev.strata.upstream.Fetched;
import dev.strata.upstream.HopByHop;
import dev.strata.upstream.UpstreamClient;
import dev.strata.upstream.UpstreamException;
import dev.strata.upstream.UpstreamRequest;
import dev.strata.upstream.UpstreamResponse;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The forward path: sends the request upstream with HttpClient's async API (the exchange is
 * suspended, never a thread), then, back on the exchange's I/O thread, stores a storable response
 * (memory at once, disk on the key's lane) and answers.
 *
 * <ul>
 *   <li>GET and HEAD misses fetch the whole object with GET and without the client's conditional
 *       and range fields, so a fill is always complete (MISS, or PASS when not storable).
 *   <li>An entry that must be validated (RFC 9111 §4.3) is asked for with its own validators; a
 *       304 that matches refreshes it (REVALIDATED), one that does not is followed by a full fetch;
 *       an upstream failure or 5xx serves it stale where stale-if-error allows (RFC 5861 §4).
 *   <li>A response with {@code Vary} is stored as the variant the request's nominated fields (as
 *       forwarded) select (RFC 9111 §4.1); {@code Vary: *} is never stored.
 *   <li>Other methods pass through with their body (PASS); a non-error answer to an unsafe method
 *       invalidates the stored entry, and those of same-host {@code Location} and {@code
 *       Content-Location} URIs, variants included (RFC 9111 §4.4).
 * </ul>
 */
final class FetchHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);
    private static final byte[] NO_BODY = new byte[0];

    private final UpstreamClient client;
    private final CacheWriter writer;
    private final long maxObjectBytes;
    private final Clock clock;
    private final Responses responses;
    private final Supplier<ByteSize> maxBodySize;
    private final AtomicLong upstreamFailures = new AtomicLong();

    FetchHandler(
            CacheWriter writer,
            UpstreamClient client,
            long maxObjectBytes,
            Clock clock,
            Responses responses,
            Supplier<ByteSize> maxBodySize) {
        this.client = client;
        this.writer = writer;
        this.maxObjectBytes = maxObjectBytes;
        this.clock = clock;
        this.responses = responses;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (Requests.isCacheableMethod(exchange) || !hasBody(exchange)) {
            forward(exchange, NO_BODY);
        } else {
            exchange.getRequestReceiver().receiveFullBytes(this::forward, (ex, e) -> {
                if (e instanceof RequestTooBigException) {
                    responses.reject(
                            ex,
                            Rejections.Reason.BODY_SIZE,
                            413,
                            "Content Too Large (limit " + maxBodySize.get() + ")");
                } else {
                    IoUtils.safeClose(ex.getConnection()); // the client went away mid-body
                }
            });
        }
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() > 0
                || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    private void forward(HttpServerExchange exchange, byte[] body) {
        Route route = exchange.getAttachment(ProxyKeys.ROUTE);
        CacheKey key = exchange.getAttachment(ProxyKeys.CACHE_KEY);
        LookupResult.MustValidate validating = exchange.getAttachment(ProxyKeys.VALIDATING);
        boolean cacheable = Requests.isCacheableMethod(exchange);
        HeaderList clientHeaders = Requests.headers(exchange);
        // A fill is shared: nothing that is not in the key may shape it (docs/caching.md); the
        // fields a response nominates in Vary are in its variant's key and so go along. The only
        // conditionals are ours, from the stored entry being validated.
        HeaderList fill = cacheable ? Requests.fillHeaders(exchange, clientHeaders) : HeaderList.of();
        HeaderList forwarded;
        if (!cacheable) {
            forwarded = Requests.withForwardedFor(HopByHop.strip(clientHeaders), exchange);
        } else if (validating != null) {
            forwarded = fill.plus(Validators.conditionalRequestHeaders(validating.response()));
        } else {
            forwarded = fill;
        }
        Route.Hop hop = route.hop(key, clientAddress(exchange));
        UpstreamRequest request = new UpstreamRequest(
                cacheable ? "GET" : exchange.getRequestMethod().toString(),
                // The key's host (or the site's origin host), never the client's Host: every request
                // sharing an entry looks alike upstream, so no client can make the origin answer for
                // a port others are served.
                hop.host(),
                cacheable ? key.pathAndQuery() : targetOf(exchange),
                RequestIds.onto(forwarded, RequestIdHandler.of(exchange)),
                body);
        exchange.putAttachment(ProxyKeys.GENERATION, writer.generation(key));
        long sent = System.nanoTime();
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> client.exchange(hop.upstreams(), request, maxObjectBytes)
                .whenComplete((fetched, failure) -> {
                    long waited = System.nanoTime() - sent;
                    exchange.dispatch(exchange.getIoThread(), ex -> {
                        Timings.addUpstream(ex, waited);
                        complete(ex, route, key, clientHeaders, fill, validating, fetched, failure);
                    });
                }));
    }

    /**
     * Wakes the requests waiting for this exchange's fetch, if it leads one; otherwise the end of
     * the exchange does ({@link LookupHandler}).
     *
     * @param pass the answer is not stored: they fetch for themselves, and the URL stops collapsing
     *     for a while (hit-for-pass)
     */
    private static void releaseWaiters(HttpServerExchange exchange, boolean pass) {
        RequestCollapser.Leader leader = exchange.getAttachment(ProxyKeys.LEADER);
        if (leader != null) {
            leader.release(pass);
        }
    }

    /** The URL's generation when this exchange's fill started ({@link CacheWriter#generation}). */
    private static long generation(HttpServerExchange exchange) {
        Long generation = exchange.getAttachment(ProxyKeys.GENERATION);
        return generation == null ? 0 : generation;
    }

    private static @Nullable InetAddress clientAddress(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }

    private static String targetOf(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        String path = Requests.path(exchange);
        return query.isEmpty() ? path : path + "?" + query;
    }

    private void complete(
            HttpServerExchange exchange,
            Route route,
            CacheKey key,
            HeaderList clientHeaders,
            HeaderList fill,
            LookupResult.@Nullable MustValidate validating,
            @Nullable Fetched fetched,
            @Nullable Throwable failure) {
        long now = clock.millis();
        if (fetched == null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            boolean timeout = cause instanceof UpstreamException upstream && upstream.isTimeout();
            logFailure(exchange, key, cause);
            int status = timeout ? 504 : 502;
            if (serveStaleOnError(exchange, route, validating, status, now)
                    || serveStaleWhenUnreachable(exchange, route, validating, status, now)) {
                return;
            }
            responses.error(
                    exchange,
                    timeout ? 504 : 502,
                    timeout
                            ? "Gateway Timeout (the upstream did not answer in time)"
                            : "Bad Gateway (the upstream could not be reached or its answer was unusable)");
            return;
        }
        if (fetched instanceof Fetched.Streaming streaming) {
            stream(exchange, route, key, validating, streaming, now);
            return;
        }
        UpstreamResponse response = ((Fetched.Buffered) fetched).response();
        HeaderList headers = Responses.relayable(response.headers());
        CacheStatusField.Builder status = responses.cacheStatus().fwdStatus(response.status());
        if (!Requests.isCacheableMethod(exchange)) {
            if (response.status() < 400 && !Requests.isSafeMethod(exchange)) {
                invalidate(route, key, response.headers());
            }
            responses.send(
                    exchange,
                    response.status(),
                    headers,
                    Body.of(response.body()),
                    CacheStatus.PASS,
                    upstreamAge(response.headers()),
                    status.fwd(CacheStatusField.Fwd.METHOD).build().format());
            return;
        }
        if (validating != null) {
            CachedResponse stored = validating.response();
            if (response.status() == 304) {
                if (Validators.matches(stored, response.headers())) {
                    CachedResponse refreshed = CacheWriter.refreshed(stored, response, route.policy());
                    boolean kept = writer.storeRefreshed(
                            key,
                            fill,
                            clientHeaders,
                            refreshed,
                            route.policy(),
                            generation(exchange),
                            response.requestTimeMillis());
                    releaseWaiters(exchange, false); // they find the refreshed entry
                    responses.sendStored(
                            exchange,
                            refreshed,
                            CacheStatus.REVALIDATED,
                            refreshed.age(now),
                            status.fwd(validating.fwd())
                                    .stored(kept)
                                    .ttl(refreshed.ttl(now))
                                    .build()
                                    .format());
                } else {
                    // The 304 is for another representation (§4.3.4): fetch the whole object.
                    exchange.removeAttachment(ProxyKeys.VALIDATING);
                    forward(exchange, NO_BODY);
                }
                return;
            }
            if (response.status() >= 500 && serveStaleOnError(exchange, route, validating, response.status(), now)) {
                return;
            }
        }
        if (!Storability.isStorable("GET", response.status(), clientHeaders, response.headers(), route.policy())) {
            // Waiters fetch for themselves now, and later misses stop waiting: this URL's answers are
            // not stored. An error is not such an answer: its waiters look up again and one retries.
            releaseWaiters(exchange, response.status() < 500);
            responses.send(
                    exchange,
                    response.status(),
                    headers,
                    Body.of(response.body()),
                    CacheStatus.PASS,
                    upstreamAge(response.headers()),
                    status.fwd(validating == null ? CacheStatusField.Fwd.URI_MISS : validating.fwd())
                            .detail("not storable")
                            .build()
                            .format());
            return;
        }
        CachedResponse stored = CacheWriter.toStored(response, route.policy());
        boolean kept = writer.store(key, fill, stored, generation(exchange), response.requestTimeMillis());
        releaseWaiters(exchange, false); // they find it in memory
        // This client gets the response as fetched (its cookie included); later ones what is stored.
        responses.sendFilled(
                exchange,
                stored,
                headers,
                CacheStatus.MISS,
                stored.age(now),
                status.fwd(validating == null ? CacheStatusField.Fwd.URI_MISS : validating.fwd())
                        .stored(kept)
                        .ttl(stored.ttl(now))
                        .build()
                        .format());
    }

    /**
     * Relays a body too large to store (over {@code max-object-size}) as it arrives, never holding
     * it whole: PASS, with backpressure from the client to the upstream (see {@link
     * StreamingRelay}). A large 5xx still lets a stale entry answer where stale-if-error allows.
     */
    private void stream(
            HttpServerExchange exchange,
            Route route,
            CacheKey key,
            LookupResult.@Nullable MustValidate validating,
            Fetched.Streaming streaming,
            long now) {
        if (streaming.status() >= 500 && serveStaleOnError(exchange, route, validating, streaming.status(), now)) {
            streaming.body().cancel();
            return;
        }
        if (!Requests.isCacheableMethod(exchange) && streaming.status() < 400 && !Requests.isSafeMethod(exchange)) {
            invalidate(route, key, streaming.headers());
        }
        releaseWaiters(exchange, streaming.status() < 500); // too large to store: they fetch in parallel
        responses.head(
                exchange,
                streaming.status(),
                Responses.relayable(streaming.headers()),
                CacheStatus.PASS,
                upstreamAge(streaming.headers()),
                responses
                        .cacheStatus()
                        .fwd(
                                Requests.isCacheableMethod(exchange)
                                        ? CacheStatusField.Fwd.URI_MISS
                                        : CacheStatusField.Fwd.METHOD)
                        .fwdStatus(streaming.status())
                        .detail("too large to store")
                        .build()
                        .format());
        StreamingRelay.relay(exchange, streaming);
    }

    /**
     * RFC 9111 §4.4: a non-error response to an unsafe method invalidates its target and the
     * same-host URIs in its {@code Location} and {@code Content-Location}, each with all its variants.
     */
    private void invalidate(Route route, CacheKey key, HeaderList upstreamHeaders) {
        for (CacheKey target : Invalidation.targets(key, upstreamHeaders, route.keyPolicy())) {
            writer.invalidate(target);
        }
    }

    /**
     * Serves the stale entry being validated when the upstream failed and stale-if-error allows it
     * (RFC 5861 §4); never when the client itself asked for a fresh answer.
     */
    private boolean serveStaleOnError(
            HttpServerExchange exchange,
            Route route,
            LookupResult.@Nullable MustValidate validating,
            int upstreamStatus,
            long now) {
        return validating != null
                && validating.reason() != LookupResult.Reason.REQUEST
                && LookupResult.mayServeStaleOnError(
                        validating.response(),
                        now,
                        route.policy().maxStale(),
                        Requests.directives(exchange, route.policy()))
                && serveStale(exchange, validating.response(), upstreamStatus, now, "stale-if-error");
    }

    /**
     * Serves the stale entry being validated when no upstream could be reached (RFC 9111 §4.2.4, a
     * disconnected cache), unless the entry forbids stale or its own stale-if-error window decided.
     */
    private boolean serveStaleWhenUnreachable(
            HttpServerExchange exchange,
            Route route,
            LookupResult.@Nullable MustValidate validating,
            int status,
            long now) {
        return validating != null
                && validating.reason() != LookupResult.Reason.REQUEST
                && LookupResult.mayServeStaleWhenUnreachable(
                        validating.response(), now, route.policy().maxStale())
                && serveStale(exchange, validating.response(), status, now, "upstream unreachable");
    }

    private boolean serveStale(HttpServerExchange exchange, CachedResponse stale, int status, long now, String why) {
        responses.sendStored(
                exchange,
                stale,
                CacheStatus.STALE,
                stale.age(now),
                responses
                        .cacheStatus()
                        .fwd(CacheStatusField.Fwd.STALE)
                        .fwdStatus(status)
                        .ttl(stale.ttl(now))
                        .detail(why)
                        .build()
                        .format());
        return true;
    }

    private void logFailure(HttpServerExchange exchange, CacheKey key, @Nullable Throwable cause) {
        long count = upstreamFailures.incrementAndGet();
        if (Long.bitCount(count) == 1) { // the 1st, 2nd, 4th, 8th…: never a log flood from an I/O thread
            log.warn(
                    "{} {}: {} ({} upstream failures so far)",
                    exchange.getRequestMethod(),
                    key,
                    cause == null ? "no response" : cause.getMessage(),
                    count);
        }
    }

    private static @Nullable Duration upstreamAge(HeaderList upstreamHeaders) {
        String age = upstreamHeaders.first("Age");
        return age == null ? null : Duration.ofSeconds(CacheControl.deltaSeconds(age.trim()));
    }

    @Override
    public String toString() {
        return "fetch";
    }
}
