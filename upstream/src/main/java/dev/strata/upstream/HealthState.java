package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Where a host stands in its pool, since when, and why it changed last.
 *
 * @param status up, marked down by health checks, or ejected by outlier detection
 * @param since when it changed to {@code status}
 * @param reason why, for operators: {@code "3 health checks failed: connection refused"}, {@code
 *     "5 consecutive failures, the last: status 500"}, {@code "ejection of 30s ended"}
 */
public record HealthState(Status status, Instant since, String reason) {
    public HealthState {
        requireNonNull(status, "status");
        requireNonNull(since, "since");
        requireNonNull(reason, "reason");
    }

    /** What a pool does with a host. */
    public enum Status {
        /** Balanced over. */
        UP,
        /** Failed {@code fall} active health checks in a row; ordered last until it passes {@code rise}. */
        DOWN,
        /** Failed requests in a row; ordered last until its ejection ends. */
        EJECTED;

        /** Lower case, as in logs and metrics tags. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return status.tag() + " since " + since + " (" + reason + ")";
    }
}
