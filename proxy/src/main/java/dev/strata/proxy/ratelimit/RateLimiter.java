package dev.strata.proxy.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.strata.config.RateLimitConfig;
import dev.strata.config.RateLimitRuleConfig;
import io.undertow.server.HttpServerExchange;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The compiled rate limits of an edge ({@link RateLimitConfig}): the default per-client limit, then
 * each rule's. A request takes a token from the bucket of every limit that applies to it; when one
 * of them is empty the request is refused ({@link Rejection}) and the tokens it took from the others
 * are given back, so a refused request costs no limit anything.
 *
 * <p>Time comes from the node's {@link Clock} (milliseconds; tests move it by hand); the buckets
 * keep nanoseconds. A clock stepped backwards makes buckets that were behind wait for as long as
 * the step, never longer. Thread-safe; {@link #OFF} limits nothing.
 */
public final class RateLimiter {
    /** Limits nothing. */
    public static final RateLimiter OFF = new RateLimiter(RateLimitConfig.defaults(), () -> 0);

    private final RateLimitConfig config;
    private final LongSupplier nanos;
    private final List<RateLimit> limits;
    private final boolean needsHost;

    private RateLimiter(RateLimitConfig config, LongSupplier nanos) {
        this.config = requireNonNull(config, "config");
        this.nanos = nanos;
        List<RateLimit> all = new ArrayList<>();
        if (config.enabled()) {
            all.add(RateLimit.ofDefault(config, nanos));
            for (RateLimitRuleConfig rule : config.rules()) {
                all.add(RateLimit.ofRule(rule, config.maxBuckets(), nanos));
            }
        }
        this.limits = List.copyOf(all);
        this.needsHost = limits.stream().anyMatch(RateLimit::needsHost);
    }

    /** The limits {@code config} describes, on {@code clock}'s time (empty buckets, all full). */
    public static RateLimiter of(RateLimitConfig config, Clock clock) {
        return config.enabled() ? new RateLimiter(config, () -> TimeUnit.MILLISECONDS.toNanos(clock.millis())) : OFF;
    }

    /**
     * This limiter, or {@code running} when both were compiled from the same configuration: a reload
     * that leaves the rate limits alone keeps the buckets, one that changes them starts with full ones.
     */
    public RateLimiter keeping(RateLimiter running) {
        return running.config.equals(config) ? running : this;
    }

    /** The configuration this was compiled from. */
    public RateLimitConfig config() {
        return config;
    }

    /** Whether any request is limited. */
    public boolean enabled() {
        return !limits.isEmpty();
    }

    /** Every limit's name, the default's first. */
    public List<String> limitNames() {
        return limits.stream().map(RateLimit::name).toList();
    }

    /** Every limit's description ({@code 10 per second, bursts of 20, per client}), by name. */
    public Map<String, String> descriptions() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        limits.forEach(limit -> descriptions.put(limit.name(), limit.description()));
        return descriptions;
    }

    /** Buckets each limit holds now (1 for a route's), by name. Runs pending evictions: not for the I/O thread. */
    public Map<String, Long> bucketCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        limits.forEach(limit -> counts.put(limit.name(), limit.bucketCount()));
        return counts;
    }

    /**
     * Takes a token for the request from every limit that applies to it. Cheap CPU work and, for a
     * client already seen, no allocation: fit for the I/O thread.
     *
     * @param client the client's address (the peer's), or null when unknown
     * @return null when the request may go on, else the limit that refused it and how long to wait
     */
    public @Nullable Rejection take(HttpServerExchange exchange, @Nullable InetAddress client) {
        long now = nanos.getAsLong();
        String host = needsHost ? exchange.getHostName() : "";
        String path = exchange.getRequestPath();
        for (int i = 0; i < limits.size(); i++) {
            RateLimit limit = limits.get(i);
            if (!limit.appliesTo(host, path)) {
                continue;
            }
            long wait = limit.take(exchange, client, now);
            if (wait > 0) {
                for (int j = 0; j < i; j++) {
                    RateLimit taken = limits.get(j);
                    if (taken.appliesTo(host, path)) {
                        taken.giveBack(exchange, client);
                    }
                }
                return new Rejection(limit.name(), limit.description(), retryAfterSeconds(wait));
            }
        }
        return null;
    }

    /** Whole seconds, rounded up, at least 1: {@code Retry-After} (RFC 9110 §10.2.3). */
    static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }

    /** A rate as written: {@code 100}, {@code 0.5}. */
    static String rate(double requestsPerSecond) {
        return BigDecimal.valueOf(requestsPerSecond).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return "rate limits " + limitNames();
    }

    /**
     * A request refused by a limit.
     *
     * @param limit the limit's name ({@value RateLimitConfig#DEFAULT_LIMIT} or a rule's)
     * @param description its rate, burst and key
     * @param retryAfterSeconds when its bucket will have a token, in whole seconds (at least 1)
     */
    public record Rejection(String limit, String description, long retryAfterSeconds) {
        public Rejection {
            requireNonNull(limit, "limit");
            requireNonNull(description, "description");
        }

        /** The short reason a client reads: {@code rate limit "api": 10 per second, bursts of 20, per client}. */
        public String reason() {
            return "rate limit \"" + limit + "\": " + description;
        }
    }
}
