package dev.strata.proxy;

import dev.strata.cache.fresh.CacheStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Every request the node answers, counted and timed when its exchange completes: {@code
 * strata.requests} (a timer with a latency histogram), {@code strata.response.bytes} (body bytes
 * sent) by {@code site} and {@code status} — the {@code X-Cache} value in lower case, or {@code
 * error} for an answer the node gave itself (a refusal, no site for the host, a full disk queue, no
 * upstream reachable, a client gone before the answer) — and {@code strata.responses} by {@code
 * site} and HTTP status class {@code code} ({@code 2xx}, …). The hit ratio by requests and by bytes
 * follows: HIT, STALE and REVALIDATED over every status but {@code error}, as {@code strata
 * loadtest} computes it from {@code X-Cache}.
 *
 * <p>The {@code site} is the routed site's name, {@code default} for a host no site matches on an
 * edge with shields, {@code none} for a request refused before it was routed. Every meter exists
 * from the start (sites × statuses), so recording a request allocates nothing and looks up nothing
 * but the site by name; it runs on whatever thread completes the exchange, often an I/O thread.
 *
 * <p>The latency runs from the start of the request's parsing ({@link
 * io.undertow.UndertowOptions#RECORD_REQUEST_START_TIME}) to the end of the response. Its buckets
 * are fixed service-level boundaries from 100 µs (a memory hit) to 30 s, few enough that every
 * status and site can have its own histogram. Thread-safe.
 */
final class RequestMeters implements ExchangeCompletionListener {
    /** The {@code site} of requests refused before routing. */
    static final String UNROUTED = "none";

    /** The {@code status} of answers without a cache status. */
    static final String ERROR = "error";

    /** The latency histogram's bucket boundaries. */
    static final List<Duration> BUCKETS = List.of(
            Duration.ofNanos(100_000),
            Duration.ofNanos(250_000),
            Duration.ofNanos(500_000),
            Duration.ofMillis(1),
            Duration.ofNanos(2_500_000),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30));

    /** The meters of one site and status. */
    private record StatusMeters(Timer requests, Counter bytes) {
        static StatusMeters register(MeterRegistry registry, String site, String status) {
            return new StatusMeters(
                    Timer.builder("strata.requests")
                            .description("Requests answered, by site and cache status (X-Cache), with their latency")
                            .tags("site", site, "status", status)
                            .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                            .register(registry),
                    Counter.builder("strata.response.bytes")
                            .description("Response body bytes sent, by site and cache status (X-Cache)")
                            .baseUnit("bytes")
                            .tags("site", site, "status", status)
                            .register(registry));
        }
    }

    /** The meters of one site. */
    private static final class Site {
        final Map<CacheStatus, StatusMeters> byStatus = new EnumMap<>(CacheStatus.class);
        final StatusMeters error;
        /** By status class: 1xx at 0 to 5xx at 4. */
        final Counter[] codes = new Counter[5];

        Site(MeterRegistry registry, String site) {
            for (CacheStatus status : CacheStatus.values()) {
                byStatus.put(status, StatusMeters.register(registry, site, tag(status)));
            }
            error = StatusMeters.register(registry, site, ERROR);
            for (int i = 0; i < codes.length; i++) {
                codes[i] = Counter.builder("strata.responses")
                        .description("Responses by site and HTTP status class")
                        .tags("site", site, "code", (i + 1) + "xx")
                        .register(registry);
            }
        }

        StatusMeters of(@Nullable CacheStatus status) {
            StatusMeters meters = status == null ? null : byStatus.get(status);
            return meters == null ? error : meters;
        }
    }

    /** Built at start for the configured sites; a site a reload adds gets its meters on its first request. */
    private final Map<String, Site> sites = new ConcurrentHashMap<>();

    private final MeterRegistry registry;
    private final Site unrouted;

    /**
     * @param sites every site a route can name (see {@link Router#siteNames()})
     */
    RequestMeters(MeterRegistry registry, List<String> sites) {
        this.registry = registry;
        for (String site : sites) {
            this.sites.put(site, new Site(registry, site));
        }
        this.unrouted = this.sites.computeIfAbsent(UNROUTED, name -> new Site(registry, name));
    }

    /** The {@code status} tag of a cache status: its name in lower case. */
    static String tag(CacheStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** A handler that records every exchange it passes to {@code next} as it completes. */
    HttpHandler recording(HttpHandler next) {
        return new Recording(this, next);
    }

    private static final class Recording implements HttpHandler {
        private final ExchangeCompletionListener meters;
        private final HttpHandler next;

        Recording(ExchangeCompletionListener meters, HttpHandler next) {
            this.meters = meters;
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            exchange.addExchangeCompleteListener(meters);
            next.handleRequest(exchange);
        }

        @Override
        public String toString() {
            return "request metrics";
        }
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        try {
            record(exchange);
        } finally {
            nextListener.proceed();
        }
    }

    private void record(HttpServerExchange exchange) {
        Route route = exchange.getAttachment(ProxyKeys.ROUTE);
        Site site = route == null ? unrouted : sites.computeIfAbsent(route.site(), name -> new Site(registry, name));
        StatusMeters meters = site.of(exchange.getAttachment(ProxyKeys.CACHE_STATUS));
        long start = exchange.getRequestStartTime();
        meters.requests().record(start > 0 ? Math.max(0, System.nanoTime() - start) : 0, TimeUnit.NANOSECONDS);
        meters.bytes().increment((double) exchange.getResponseBytesSent());
        int code = exchange.getStatusCode() / 100;
        if (code >= 1 && code <= 5) {
            site.codes[code - 1].increment();
        }
    }

    /** Requests and body bytes of one status over every site. */
    record StatusCount(String status, long requests, long bytes) {}

    /** What the status page shows: each status's counts over every site, in tag order. */
    record Totals(List<StatusCount> statuses) {
        /** HIT, STALE and REVALIDATED over every status but error; null before any. */
        @Nullable
        Double hitRatio() {
            return ratio(StatusCount::requests);
        }

        /** Like {@link #hitRatio()} by body bytes sent. */
        @Nullable
        Double byteHitRatio() {
            return ratio(StatusCount::bytes);
        }

        private @Nullable Double ratio(ToLongFunction<StatusCount> value) {
            long served = 0;
            long all = 0;
            for (StatusCount count : statuses) {
                if (SERVED_FROM_CACHE.contains(count.status())) {
                    served += value.applyAsLong(count);
                }
                if (!count.status().equals(ERROR)) {
                    all += value.applyAsLong(count);
                }
            }
            return all == 0 ? null : (double) served / all;
        }
    }

    private static final Set<String> SERVED_FROM_CACHE = Set.of("hit", "stale", "revalidated");

    Totals totals() {
        List<StatusCount> statuses = new ArrayList<>();
        for (CacheStatus status : CacheStatus.values()) {
            statuses.add(count(tag(status), site -> site.of(status)));
        }
        statuses.add(count(ERROR, site -> site.error));
        return new Totals(List.copyOf(statuses));
    }

    private StatusCount count(String status, Function<Site, StatusMeters> meters) {
        long requests = 0;
        long bytes = 0;
        for (Site site : sites.values()) {
            requests += meters.apply(site).requests().count();
            bytes += (long) meters.apply(site).bytes().count();
        }
        return new StatusCount(status, requests, bytes);
    }
}
