package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * How a run sends its requests, and its bounds: it stops at {@code duration} or after {@code
 * requests} requests, whichever comes first, then waits at most {@code drain} for the requests in
 * flight.
 *
 * @param target the target URL, for the report
 * @param mode open (constant rate) or closed loop
 * @param rate requests per second in the open loop; ignored in the closed loop
 * @param connections keep-alive connections: the open loop's in-flight cap, the closed loop's
 *     concurrency
 * @param duration the longest the run sends
 * @param requests the most requests the run sends
 * @param drain the longest the run waits for responses after it stopped sending
 */
public record LoadPlan(
        URI target, Mode mode, double rate, int connections, Duration duration, long requests, Duration drain) {
    /** How requests are paced. */
    public enum Mode {
        /**
         * Requests start at fixed intervals from the start, whatever the responses do; latency counts
         * from the intended start, so a stall shows in every request it delays.
         */
        OPEN,
        /** Each connection sends its next request when the previous response is complete. */
        CLOSED
    }

    public LoadPlan {
        requireNonNull(target, "target");
        requireNonNull(mode, "mode");
        requireNonNull(duration, "duration");
        requireNonNull(drain, "drain");
        if (mode == Mode.OPEN && !(rate > 0 && rate <= 10_000_000)) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: 0 < rate <= 10000000 per second)");
        }
        if (connections < 1 || connections > 100_000) {
            throw new IllegalArgumentException("connections: " + connections + " (expected: 1 to 100000)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (requests < 1) {
            throw new IllegalArgumentException("requests: " + requests + " (expected: >= 1)");
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException("drain: " + drain + " (expected: >= 0)");
        }
    }
}
