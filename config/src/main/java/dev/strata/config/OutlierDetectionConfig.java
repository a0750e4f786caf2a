package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Passive outlier detection: a host whose requests failed (no connection, a timeout or a 5xx
 * answer) {@code consecutiveFailures} times in a row is ejected from its pool for {@code
 * baseEjection × 2^n}, at most {@code maxEjection}, where {@code n} counts its earlier ejections in a
 * row; never more than {@code maxEjectedPercent} of the pool at once (at least one host).
 *
 * @param consecutiveFailures failures in a row that eject a host; 0 turns detection off
 * @param baseEjection the first ejection's length, > 0
 * @param maxEjection the longest ejection, at least {@code baseEjection}
 * @param maxEjectedPercent the largest share of the pool's hosts ejected at once, 0 to 100
 */
public record OutlierDetectionConfig(
        int consecutiveFailures, Duration baseEjection, Duration maxEjection, int maxEjectedPercent) {
    public OutlierDetectionConfig {
        requireNonNull(baseEjection, "baseEjection");
        requireNonNull(maxEjection, "maxEjection");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException(
                    "consecutiveFailures: " + consecutiveFailures + " (expected: >= 0, 0 for off)");
        }
        if (baseEjection.isNegative() || baseEjection.isZero()) {
            throw new IllegalArgumentException("baseEjection: " + baseEjection + " (expected: > 0)");
        }
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw new IllegalArgumentException(
                    "maxEjection: " + maxEjection + " (expected: >= base-ejection, " + baseEjection + ")");
        }
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new IllegalArgumentException("maxEjectedPercent: " + maxEjectedPercent + " (expected: 0 to 100)");
        }
    }

    /** 5 failures in a row eject a host for 30s, doubling up to 5m, at most half the pool. */
    public static OutlierDetectionConfig defaults() {
        return new OutlierDetectionConfig(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50);
    }
}
