package dev.strata.proxy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.config.RateLimitConfig;
import dev.strata.config.RateLimitRuleConfig;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One limit: which requests it applies to, whose bucket each takes a token from, and the buckets.
 * Buckets per key live in a Caffeine cache bounded by {@code max-buckets} (the least used go first
 * when it is full, Caffeine's W-TinyLFU keeping the busy ones) and dropped once idle for as long as
 * an empty bucket takes to fill up: a bucket dropped then is as good as full, so expiry never lets
 * a client through early, and a flood of new clients cannot grow memory past the bound. Thread-safe.
 */
final class RateLimit {
    private enum Key {
        CLIENT,
        HEADER,
        ROUTE
    }

    private final String name;
    private final String description;
    private final @Nullable RateLimitRuleConfig rule;
    private final Key key;
    private final @Nullable HttpString header;
    private final long interval;
    private final long tolerance;
    private final @Nullable TokenBucket shared;
    private final @Nullable Cache<Object, TokenBucket> buckets;
    private final Function<Object, TokenBucket> newBucket = key -> new TokenBucket();

    private RateLimit(
            String name,
            @Nullable RateLimitRuleConfig rule,
            String key,
            double requestsPerSecond,
            int burst,
            int maxBuckets,
            LongSupplier nanos) {
        this.name = name;
        this.rule = rule;
        this.description = RateLimiter.rate(requestsPerSecond) + " per second, bursts of " + burst + ", per "
                + (key.startsWith(RateLimitRuleConfig.HEADER_KEY)
                        ? key.substring(RateLimitRuleConfig.HEADER_KEY.length())
                        : key);
        this.interval = Math.max(1, Math.round(1e9 / requestsPerSecond));
        this.tolerance = saturatingMultiply(burst - 1L, interval);
        if (key.equals("route")) {
            this.key = Key.ROUTE;
            this.header = null;
            this.shared = new TokenBucket();
            this.buckets = null;
        } else {
            this.key = key.equals("client") ? Key.CLIENT : Key.HEADER;
            this.header = this.key == Key.HEADER
                    ? new HttpString(key.substring(RateLimitRuleConfig.HEADER_KEY.length()))
                    : null;
            this.shared = null;
            long refill = saturatingMultiply(burst, interval);
            this.buckets = Caffeine.newBuilder()
                    .maximumSize(maxBuckets)
                    .expireAfterAccess(Duration.ofNanos(
                            Math.max(refill, Duration.ofSeconds(1).toNanos())))
                    .ticker(nanos::getAsLong)
                    .build();
        }
    }

    /** The default per-client limit of {@code config}. */
    static RateLimit ofDefault(RateLimitConfig config, LongSupplier nanos) {
        return new RateLimit(
                RateLimitConfig.DEFAULT_LIMIT,
                null,
                "client",
                config.requestsPerSecond(),
                config.burst(),
                config.maxBuckets(),
                nanos);
    }

    /** The limit of one rule of {@code config}. */
    static RateLimit ofRule(RateLimitRuleConfig rule, int maxBuckets, LongSupplier nanos) {
        return new RateLimit(rule.name(), rule, rule.key(), rule.requestsPerSecond(), rule.burst(), maxBuckets, nanos);
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high == 0 && product >= 0 ? product : Long.MAX_VALUE / 4;
    }

    String name() {
        return name;
    }

    /** The rate, the burst and the key, e.g. {@code 10 per second, bursts of 20, per client}. */
    String description() {
        return description;
    }

    /** Whether the limit wants the request's host to decide. */
    boolean needsHost() {
        return rule != null && !List.of("*").equals(rule.hosts());
    }

    /** Whether the limit applies to a request for {@code host} and {@code path} (decoded). */
    boolean appliesTo(String host, String path) {
        return rule == null || rule.matches(host, path);
    }

    /**
     * Takes a token for the request from its bucket.
     *
     * @return 0 when taken, else the nanoseconds until one will be there
     */
    long take(HttpServerExchange exchange, @Nullable InetAddress client, long now) {
        TokenBucket bucket = bucket(exchange, client);
        return bucket == null ? 0 : bucket.tryTake(now, interval, tolerance);
    }

    /** Gives back the token {@link #take} took for the request. */
    void giveBack(HttpServerExchange exchange, @Nullable InetAddress client) {
        TokenBucket bucket = bucket(exchange, client);
        if (bucket != null) {
            bucket.giveBack(interval);
        }
    }

    /** The request's bucket; null for a request with no key at all (no header and no address). */
    private @Nullable TokenBucket bucket(HttpServerExchange exchange, @Nullable InetAddress client) {
        if (shared != null) {
            return shared;
        }
        Object bucketKey = client;
        if (header != null) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                bucketKey = value; // a header value and an address never compare equal
            }
        }
        Cache<Object, TokenBucket> cache = buckets;
        return bucketKey == null || cache == null ? null : cache.get(bucketKey, newBucket);
    }

    /** Buckets held now, after pending evictions and expiries ran: bounded by {@code max-buckets}. */
    long bucketCount() {
        Cache<Object, TokenBucket> cache = buckets;
        if (cache == null) {
            return 1;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
