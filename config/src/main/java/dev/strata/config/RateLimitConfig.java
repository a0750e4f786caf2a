package dev.strata.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rate limits of an edge: token buckets refilled at a steady rate; a request that finds no
 * token in its bucket is answered 429 with {@code Retry-After}. Every request takes a token from the
 * default per-client bucket ({@link #requestsPerSecond}, {@link #burst}) and from the bucket of
 * each rule that matches it; it is refused when any of them is empty.
 *
 * @param enabled whether requests are limited at all
 * @param requestsPerSecond the default per-client bucket's refill rate
 * @param burst the default per-client bucket's size
 * @param maxBuckets the most buckets each limit keeps (clients, header values); the least used go
 *     first, and a bucket idle long enough to be full again is dropped
 * @param rules limits of their own for some hosts and paths, per client, per header value or per
 *     route
 */
public record RateLimitConfig(
        boolean enabled, double requestsPerSecond, int burst, int maxBuckets, List<RateLimitRuleConfig> rules) {
    /** The name of the default per-client limit, in 429 reasons and metrics. */
    public static final String DEFAULT_LIMIT = "default";

    /** The default {@link #maxBuckets}: about 15 MiB of buckets per limit when full. */
    public static final int DEFAULT_MAX_BUCKETS = 100_000;

    public RateLimitConfig {
        rules = List.copyOf(rules);
        checkRate(requestsPerSecond, burst);
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets: " + maxBuckets + " (expected: >= 1)");
        }
        String problem = ruleNameProblem(rules);
        if (problem != null) {
            throw new IllegalArgumentException("rules: " + problem);
        }
    }

    /** A default per-client limit and no rules. */
    public RateLimitConfig(boolean enabled, double requestsPerSecond, int burst) {
        this(enabled, requestsPerSecond, burst, DEFAULT_MAX_BUCKETS, List.of());
    }

    /** Off; when enabled, 100 requests per second with bursts of 200 per client, and no rules. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(false, 100, 200);
    }

    static void checkRate(double requestsPerSecond, int burst) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: > 0)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
        }
    }

    /** Why the names of {@code rules} are not usable (one repeated, or the default's), or null. */
    static @Nullable String ruleNameProblem(List<RateLimitRuleConfig> rules) {
        Set<String> seen = new HashSet<>();
        for (RateLimitRuleConfig rule : rules) {
            if (rule.name().equals(DEFAULT_LIMIT)) {
                return rule.name() + " is the default limit's name (expected: a name of its own)";
            }
            if (!seen.add(rule.name())) {
                return rule.name() + " is the name of two rules (expected: a unique name)";
            }
        }
        return null;
    }
}
