package dev.strata.proxy;

import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.TieredCache;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Routes the request, computes its cache key and answers from the cache when it can: first the
 * memory tier on the I/O thread, then the disk tier on the bounded disk executor (RocksDB is
 * blocking JNI). A usable entry is answered as HIT; otherwise the request goes on to the fetch.
 * A full disk queue answers 503.
 */
final class LookupHandler implements HttpHandler {
    private final Router router;
    private final TieredCache cache;
    private final DiskLanes diskExecutor;
    private final Clock clock;
    private final Responses responses;
    private final HttpHandler next;

    LookupHandler(
            Router router,
            TieredCache cache,
            DiskLanes diskExecutor,
            Clock clock,
            Responses responses,
            HttpHandler next) {
        this.router = router;
        this.cache = cache;
        this.diskExecutor = diskExecutor;
        this.clock = clock;
        this.responses = responses;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        CacheKey key = exchange.getAttachment(ProxyKeys.CACHE_KEY);
        if (key == null) {
            lookupMemory(exchange);
        } else {
            lookupDisk(exchange, key);
        }
    }

    private void lookupMemory(HttpServerExchange exchange) throws Exception {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        Route route = host == null ? null : router.select(host);
        if (host == null || route == null) {
            responses.error(exchange, 404, "Not Found (no site is configured for host " + host + ")");
            return;
        }
        CacheKey key;
        try {
            key = CacheKey.from(
                    exchange.getRequestScheme(),
                    host,
                    Requests.path(exchange),
                    exchange.getQueryString(),
                    route.keyPolicy());
        } catch (IllegalArgumentException e) {
            responses.error(exchange, 400, "Bad Request (" + e.getMessage() + ")");
            return;
        }
        exchange.putAttachment(ProxyKeys.ROUTE, route);
        exchange.putAttachment(ProxyKeys.CACHE_KEY, key);
        if (!Requests.isCacheableMethod(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        if (serveIfUsable(exchange, route, cache.lookupMemory(key))) {
            return;
        }
        exchange.dispatch(task -> executeOrReject(exchange, key, task), this);
    }

    private void executeOrReject(HttpServerExchange exchange, CacheKey key, Runnable task) {
        try {
            diskExecutor.execute(key, task);
        } catch (RejectedExecutionException e) {
            exchange.getIoThread()
                    .execute(() -> responses.error(exchange, 503, "Service Unavailable (disk queue full)"));
        }
    }

    private void lookupDisk(HttpServerExchange exchange, CacheKey key) throws Exception {
        Route route = exchange.getAttachment(ProxyKeys.ROUTE);
        if (!serveIfUsable(exchange, route, cache.lookupDisk(key))) {
            next.handleRequest(exchange);
        }
    }

    private boolean serveIfUsable(HttpServerExchange exchange, Route route, @Nullable CachedResponse stored) {
        if (stored == null) {
            return false;
        }
        long now = clock.millis();
        if (!stored.isFresh(now)) {
            return false;
        }
        // A client's no-cache or max-age=0 (a browser reload) goes upstream; max-age=N bounds the age.
        OptionalLong maxAge = Requests.maxAcceptedAgeSeconds(exchange, route.policy());
        if (maxAge.isPresent() && (maxAge.getAsLong() == 0 || stored.age(now).getSeconds() > maxAge.getAsLong())) {
            return false;
        }
        responses.send(exchange, stored.status(), stored.headers(), stored.body(), CacheStatus.HIT, stored.age(now));
        return true;
    }

    @Override
    public String toString() {
        return "lookup";
    }
}
