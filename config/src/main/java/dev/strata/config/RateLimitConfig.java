package dev.strata.config;

/**
 * A token bucket per client address; a request without a token is answered 429 with {@code
 * Retry-After}.
 *
 * @param enabled whether requests are limited at all
 * @param requestsPerSecond the bucket's refill rate
 * @param burst the bucket's size
 */
public record RateLimitConfig(boolean enabled, double requestsPerSecond, int burst) {
    public RateLimitConfig {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond: " + requestsPerSecond + " (expected: > 0)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
        }
    }

    /** Off; when enabled, 100 requests per second with bursts of 200. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(false, 100, 200);
    }
}
