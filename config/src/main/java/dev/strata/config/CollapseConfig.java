package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Request collapsing: concurrent misses for one URL wait for one fetch instead of each asking
 * upstream.
 *
 * @param enabled whether concurrent misses wait for one fetch
 * @param timeout the longest a request waits for another's fetch; then it fetches itself
 * @param hitForPass how long, after a URL answered with something not storable, its misses are
 *     not made to wait (so uncacheable URLs are never serialised behind one another)
 */
public record CollapseConfig(boolean enabled, Duration timeout, Duration hitForPass) {
    public CollapseConfig {
        requireNonNull(timeout, "timeout");
        requireNonNull(hitForPass, "hitForPass");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (hitForPass.isNegative()) {
            throw new IllegalArgumentException("hitForPass: " + hitForPass + " (expected: >= 0)");
        }
    }

    /** On; waits up to 30s (the default upstream response timeout); 2 minutes of hit-for-pass. */
    public static CollapseConfig defaults() {
        return new CollapseConfig(true, Duration.ofSeconds(30), Duration.ofMinutes(2));
    }
}
