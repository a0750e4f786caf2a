package dev.strata.proxy;

import dev.strata.config.RateLimitConfig;
import dev.strata.proxy.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Requests an edge's rate limits refused, by limit: {@code strata.ratelimit.rejections{limit}}, the
 * limit being {@code default} or a rule's name from the configuration (never a client or a key).
 * The default's counter exists from the start; a reload's new rules get theirs when bound. Thread-safe.
 */
final class RateLimitMeters {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();

    RateLimitMeters(MeterRegistry registry) {
        this.registry = registry;
        counter(RateLimitConfig.DEFAULT_LIMIT);
    }

    /** Registers the counters of {@code limiter}'s limits: at start and after a reload. */
    void bind(RateLimiter limiter) {
        limiter.limitNames().forEach(this::counter);
    }

    private Counter counter(String limit) {
        return rejections.computeIfAbsent(limit, name -> Counter.builder("strata.ratelimit.rejections")
                .description("Requests refused with 429 by a rate limit, by limit")
                .tag("limit", name)
                .register(registry));
    }

    void count(String limit) {
        counter(limit).increment();
    }

    /** Every limit's count so far, by name. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        rejections.forEach((limit, counter) -> counts.put(limit, (long) counter.count()));
        return counts;
    }
}
