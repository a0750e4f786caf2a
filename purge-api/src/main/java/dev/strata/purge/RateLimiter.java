package dev.strata.purge;

import java.util.function.LongSupplier;

/**
 * A token bucket over all the API's clients: {@code perSecond} tokens a second, at most {@code
 * perSecond} (at least 1) saved up. Thread-safe; {@link #tryAcquire} never blocks.
 */
final class RateLimiter {
    private static final double NANOS_PER_SECOND = 1e9;

    private final double perSecond;
    private final double capacity;
    private final LongSupplier nanoTime;
    private double tokens;
    private long updatedNanos;

    RateLimiter(double perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond);
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.updatedNanos = nanoTime.getAsLong();
    }

    /** Takes a token if there is one. */
    synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - updatedNanos) / NANOS_PER_SECOND * perSecond);
        updatedNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whole seconds until the next token, at least 1: for {@code Retry-After}. */
    synchronized long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
}
