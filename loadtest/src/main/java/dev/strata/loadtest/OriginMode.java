package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import dev.strata.config.Durations;
import java.time.Duration;

/**
 * How the embedded {@link TestOrigin} behaves: {@code fast}; {@code slow=DURATION}, each response
 * delayed by that long; or {@code failing=RATE}, that fraction of responses (0 to 1) a 503.
 *
 * @param delay the delay of each response, zero when fast
 * @param failureRate the fraction of responses that are 503
 */
public record OriginMode(Duration delay, double failureRate) {
    public OriginMode {
        requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failure rate: " + failureRate + " (expected: 0 to 1)");
        }
    }

    /** Answers at once, never fails. */
    public static OriginMode fast() {
        return new OriginMode(Duration.ZERO, 0);
    }

    /**
     * Parses {@code fast}, {@code slow=200ms} or {@code failing=0.1}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static OriginMode parse(String text) {
        String expected = " (expected: fast, slow=DURATION such as slow=200ms, or failing=RATE such as failing=0.1)";
        String t = text.trim();
        try {
            if (t.equals("fast")) {
                return fast();
            }
            if (t.startsWith("slow=")) {
                return new OriginMode(Durations.parse(t.substring(5)), 0);
            }
            if (t.startsWith("failing=")) {
                return new OriginMode(Duration.ZERO, Double.parseDouble(t.substring(8)));
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            throw new IllegalArgumentException("\"" + text + "\": " + e.getMessage() + expected, e);
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an origin mode" + expected);
    }

    @Override
    public String toString() {
        if (failureRate > 0) {
            return "failing=" + failureRate;
        }
        return delay.isZero() ? "fast" : "slow=" + Durations.format(delay);
    }
}
