package dev.strata.proxy;

import dev.strata.cache.fresh.CacheControl;
import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.fresh.Storability;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.cache.store.TieredCache;
import dev.strata.config.ByteSize;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The miss path: forwards the request upstream with HttpClient's async API (the exchange is
 * suspended, never a thread), then, back on the exchange's I/O thread, stores a storable response
 * (memory at once, disk on the disk executor) and answers. GET and HEAD misses fetch the whole
 * object with GET and without the client's conditional and range fields, so the fill is always
 * complete; other methods pass through with their body, and a non-error answer to an unsafe method
 * invalidates the stored entry (RFC 9111 §4.4).
 */
final class FetchHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);
    private static final byte[] NO_BODY = new byte[0];

    private final TieredCache cache;
    private final UpstreamClient client;
    private final DiskLanes diskExecutor;
    private final long maxObjectBytes;
    private final Clock clock;
    private final Responses responses;
    private final ByteSize maxBodySize;
    private final AtomicLong upstreamFailures = new AtomicLong();

    FetchHandler(
            TieredCache cache,
            UpstreamClient client,
            DiskLanes diskExecutor,
            long maxObjectBytes,
            Clock clock,
            Responses responses,
            ByteSize maxBodySize) {
        this.cache = cache;
        this.client = client;
        this.diskExecutor = diskExecutor;
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
                    responses.error(ex, 413, "Content Too Large (limit " + maxBodySize + ")");
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
        boolean cacheable = Requests.isCacheableMethod(exchange);
        HeaderList clientHeaders = Requests.headers(exchange);
        HeaderList forwarded = HopByHop.strip(clientHeaders);
        if (cacheable) {
            // A fill is shared: nothing that is not in the key may shape it (docs/caching.md).
            forwarded = forwarded.without(Requests.CONDITIONALS).without(Requests.UNKEYED);
        }
        UpstreamRequest request = new UpstreamRequest(
                cacheable ? "GET" : exchange.getRequestMethod().toString(),
                // The key's host, not the client's Host: every request sharing an entry looks alike
                // upstream, so no client can make the origin answer for a port others are served.
                key.host(),
                cacheable ? key.pathAndQuery() : targetOf(exchange),
                withForwardedFor(forwarded, exchange),
                body);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> client.fetch(
                        route.upstream().order(key), request, maxObjectBytes)
                .whenComplete((response, failure) -> exchange.dispatch(
                        exchange.getIoThread(), ex -> complete(ex, route, key, clientHeaders, response, failure))));
    }

    private static String targetOf(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        String path = Requests.path(exchange);
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static HeaderList withForwardedFor(HeaderList headers, HttpServerExchange exchange) {
        String client = exchange.getSourceAddress().getAddress().getHostAddress();
        String previous = headers.first("X-Forwarded-For");
        List<HeaderList.Field> fields =
                new ArrayList<>(headers.without(Set.of("X-Forwarded-For")).fields());
        fields.add(new HeaderList.Field("X-Forwarded-For", previous == null ? client : previous + ", " + client));
        return new HeaderList(fields);
    }

    private void complete(
            HttpServerExchange exchange,
            Route route,
            CacheKey key,
            HeaderList clientHeaders,
            @Nullable UpstreamResponse response,
            @Nullable Throwable failure) {
        if (response == null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            boolean timeout = cause instanceof UpstreamException upstream && upstream.isTimeout();
            long count = upstreamFailures.incrementAndGet();
            if (Long.bitCount(count) == 1) { // the 1st, 2nd, 4th, 8th…: never a log flood from an I/O thread
                log.warn(
                        "{} {}: {} ({} upstream failures so far)",
                        exchange.getRequestMethod(),
                        key,
                        cause == null ? "no response" : cause.getMessage(),
                        count);
            }
            responses.error(
                    exchange,
                    timeout ? 504 : 502,
                    timeout
                            ? "Gateway Timeout (the upstream did not answer in time)"
                            : "Bad Gateway (the upstream could not be reached or its answer was unusable)");
            return;
        }
        HeaderList headers = Responses.relayable(response.headers());
        if (!Requests.isCacheableMethod(exchange)) {
            if (response.status() < 400 && !Requests.isSafeMethod(exchange)) {
                invalidate(key); // RFC 9111 §4.4
            }
            responses.send(
                    exchange, response.status(), headers, response.body(), CacheStatus.PASS, upstreamAge(response));
            return;
        }
        if (!Storability.isStorable("GET", response.status(), clientHeaders, response.headers(), route.policy())) {
            responses.send(
                    exchange, response.status(), headers, response.body(), CacheStatus.PASS, upstreamAge(response));
            return;
        }
        CachedResponse stored = new CachedResponse(
                response.status(),
                headers.without(Requests.PER_CLIENT_RESPONSE_FIELDS),
                response.body(),
                response.responseTimeMillis(),
                Freshness.of(
                        response.status(),
                        response.headers(),
                        response.requestTimeMillis(),
                        response.responseTimeMillis(),
                        route.policy()));
        cache.memory().store(key, stored);
        runOnDisk(key, () -> cache.disk().store(key, stored));
        responses.send(exchange, stored.status(), headers, stored.body(), CacheStatus.MISS, stored.age(clock.millis()));
    }

    private static @Nullable Duration upstreamAge(UpstreamResponse response) {
        String age = response.headers().first("Age");
        return age == null ? null : Duration.ofSeconds(CacheControl.deltaSeconds(age.trim()));
    }

    private void invalidate(CacheKey key) {
        cache.memory().invalidate(key);
        runOnDisk(key, () -> cache.disk().invalidate(key));
    }

    private void runOnDisk(CacheKey key, Runnable task) {
        try {
            diskExecutor.execute(key, task);
        } catch (RejectedExecutionException e) {
            log.debug("disk queue full: skipped a disk write");
        }
    }

    @Override
    public String toString() {
        return "fetch";
    }
}
