package dev.strata.proxy;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.lookup.CacheStatusField;
import dev.strata.cache.lookup.LookupResult;
import dev.strata.cache.lookup.RequestDirectives;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.TieredCache;
import dev.strata.config.CollapseConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Routes the request, computes its cache key and answers from the cache when it can: first the
 * memory tier on the I/O thread, then the disk tier on the bounded disk executor (RocksDB is
 * blocking JNI). What a stored entry may do is {@link LookupResult#decide}'s call (RFC 9111 §4):
 * a fresh entry is a HIT; a stale one within stale-while-revalidate is served STALE while one
 * background revalidation runs; one that must be validated goes to the fetch with the entry
 * attached for a conditional request; {@code only-if-cached} without a usable entry answers 504.
 * A full disk queue answers 503.
 *
 * <p>For a URL whose responses vary (RFC 9111 §4.1) the URL's key holds a marker naming the
 * request fields that select a variant; the request's values of those fields, as a fill would
 * forward them, give the variant to use (memory on the I/O thread, disk on the URL's lane like any
 * other disk work for it). A HEAD is answered from the GET variant it selects.
 *
 * <p>Misses and validations are collapsed ({@link RequestCollapser}): the first request for a key
 * fetches, the others wait (off any thread) and then look up again, normally finding what the
 * first one stored; their answer says {@code collapsed} in {@code Cache-Status}.
 */
final class LookupHandler implements HttpHandler {
    /** The node's router now: read once per request, whose route then serves it to the end. */
    private final Supplier<Router> router;

    private final TieredCache cache;
    private final DiskLanes diskExecutor;
    private final Clock clock;
    private final Responses responses;
    private final Revalidator revalidator;
    private final RequestCollapser collapser;
    private final CollapseConfig collapse;
    private final HttpHandler next;

    LookupHandler(
            Supplier<Router> router,
            TieredCache cache,
            DiskLanes diskExecutor,
            Clock clock,
            Responses responses,
            Revalidator revalidator,
            RequestCollapser collapser,
            CollapseConfig collapse,
            HttpHandler next) {
        this.router = router;
        this.cache = cache;
        this.diskExecutor = diskExecutor;
        this.clock = clock;
        this.responses = responses;
        this.revalidator = revalidator;
        this.collapser = collapser;
        this.collapse = collapse;
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
        Route route = host == null ? null : router.get().select(host);
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
            responses.reject(exchange, Rejections.Reason.REQUEST_TARGET, 400, "Bad Request (" + e.getMessage() + ")");
            return;
        }
        exchange.putAttachment(ProxyKeys.ROUTE, route);
        exchange.putAttachment(ProxyKeys.CACHE_KEY, key);
        if (!Requests.isCacheableMethod(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        RequestDirectives directives = Requests.directives(exchange, route.policy());
        long now = clock.millis();
        LookupResult result = decide(route, directives, cache.lookupMemory(key, Requests.fillFields(exchange)), now);
        if (result instanceof LookupResult.Miss) {
            exchange.dispatch(task -> executeOrReject(exchange, key, task), this);
        } else {
            act(exchange, route, key, directives, result, now);
        }
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
        RequestDirectives directives = Requests.directives(exchange, route.policy());
        CachedResponse stored = cache.lookupDisk(key, Requests.fillFields(exchange));
        long now = clock.millis();
        act(exchange, route, key, directives, decide(route, directives, stored, now), now);
    }

    private static LookupResult decide(
            Route route, RequestDirectives directives, @Nullable CachedResponse stored, long now) {
        return LookupResult.decide(stored, directives, now, route.policy().maxStale());
    }

    /** Serves a hit or a permitted stale entry, or hands the request to the fetch; {@code now} as decided. */
    private void act(
            HttpServerExchange exchange,
            Route route,
            CacheKey key,
            RequestDirectives directives,
            LookupResult result,
            long now)
            throws Exception {
        if (result instanceof LookupResult.Hit hit) {
            // A request that waited for another's fetch was forwarded, collapsed (RFC 9211 §2.6).
            Duration ttl = hit.response().ttl(now);
            String status = exchange.getAttachment(ProxyKeys.COLLAPSED) == null
                    ? responses.hitMember(ttl)
                    : responses
                            .cacheStatus()
                            .fwd(CacheStatusField.Fwd.URI_MISS)
                            .collapsed(true)
                            .ttl(ttl)
                            .build()
                            .format();
            responses.sendStored(exchange, hit.response(), CacheStatus.HIT, hit.age(), status);
        } else if (result instanceof LookupResult.Stale stale) {
            if (stale.revalidateInBackground()) {
                revalidator.revalidate(
                        route, key, stale.response(), Requests.fillHeaders(exchange), RequestIdHandler.of(exchange));
            }
            responses.sendStored(
                    exchange,
                    stale.response(),
                    CacheStatus.STALE,
                    stale.age(),
                    responses
                            .cacheStatus()
                            .hit()
                            .ttl(stale.response().ttl(now))
                            .detail(stale.revalidateInBackground() ? "stale-while-revalidate" : "max-stale")
                            .build()
                            .format());
        } else if (directives.onlyIfCached()) {
            // RFC 9111 §5.2.1.7: nothing usable without asking upstream, and the client forbids it.
            responses.error(exchange, 504, "Gateway Timeout (only-if-cached, and no usable stored response)");
        } else {
            if (result instanceof LookupResult.MustValidate validate) {
                exchange.putAttachment(ProxyKeys.VALIDATING, validate);
            }
            if (mayFetch(exchange, key)) {
                next.handleRequest(exchange);
            }
        }
    }

    /**
     * Whether this exchange fetches now: as its key's leader (released when the exchange ends, if
     * the fetch did not release earlier), when the key is not collapsed, or after waiting too long.
     * Otherwise it waits for the leader and then starts over with a fresh lookup.
     */
    @SuppressWarnings("ReferenceEquality") // the very entry this request decided on, not an equal one
    private boolean mayFetch(HttpServerExchange exchange, CacheKey key) {
        LookupResult.MustValidate validating = exchange.getAttachment(ProxyKeys.VALIDATING);
        if (!collapse.enabled()
                || exchange.getAttachment(ProxyKeys.NO_COLLAPSE) != null
                // The client asked for validation itself (no-cache): another's answer would not do.
                || (validating != null && validating.reason() == LookupResult.Reason.REQUEST)) {
            return true;
        }
        RequestCollapser.Ticket ticket = collapser.join(key);
        if (ticket instanceof RequestCollapser.Leader leader) {
            CachedResponse seen = validating == null ? null : validating.response();
            CachedResponse now = cache.lookupMemory(key, Requests.fillFields(exchange));
            if (now != null && now != seen) {
                // Another fill landed between this request's lookup and its join: look up again.
                leader.release(false);
                resume(exchange, new AtomicBoolean(), false);
                return false;
            }
            exchange.putAttachment(ProxyKeys.LEADER, leader);
            exchange.addExchangeCompleteListener((done, nextListener) -> {
                leader.release(false);
                nextListener.proceed();
            });
            return true;
        }
        if (ticket instanceof RequestCollapser.Waiter waiter) {
            // One deadline over every round of waiting: after an error the waiters elect a new
            // leader one at a time, and each round must not restart the clock.
            Long deadline = exchange.getAttachment(ProxyKeys.COLLAPSE_DEADLINE);
            if (deadline == null) {
                deadline = System.nanoTime() + collapse.timeout().toNanos();
                exchange.putAttachment(ProxyKeys.COLLAPSE_DEADLINE, deadline);
            }
            long remainingMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            AtomicBoolean resumed = new AtomicBoolean();
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
                // The I/O thread's own timer: no lock to take when the leader releases first.
                exchange.getIoThread()
                        .executeAfter(() -> resume(exchange, resumed, true), remainingMillis, MILLISECONDS);
                waiter.released().thenRun(() -> resume(exchange, resumed, false));
            });
            return false;
        }
        return true; // hit-for-pass
    }

    /** Starts a waiting exchange over once, when its leader released it or it waited too long. */
    private void resume(HttpServerExchange exchange, AtomicBoolean resumed, boolean timedOut) {
        if (!resumed.compareAndSet(false, true)) {
            return;
        }
        exchange.removeAttachment(ProxyKeys.CACHE_KEY);
        exchange.removeAttachment(ProxyKeys.VALIDATING);
        exchange.putAttachment(ProxyKeys.COLLAPSED, Boolean.TRUE);
        if (timedOut) {
            exchange.putAttachment(ProxyKeys.NO_COLLAPSE, Boolean.TRUE);
        }
        exchange.dispatch(exchange.getIoThread(), this);
    }

    @Override
    public String toString() {
        return "lookup";
    }
}
