package dev.strata.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in configuration: a whole number and a unit, {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 2h} or {@code 1d} ({@code ns} and {@code us} exist so that every duration can
 * be written exactly). A plain {@code 0} is zero. Thread-safe and stateless.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?");
    private static final String EXPECTED = " (expected: e.g. 30s, 500ms, 5m, 1h, 1d)";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Durations() {}

    /**
     * Parses a duration such as {@code 30s}.
     *
     * @throws IllegalArgumentException naming the text when it is not a duration or is too long
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches() || (m.group(2) == null && !m.group(1).chars().allMatch(c -> c == '0'))) {
            throw new IllegalArgumentException(Scalars.quote(text) + " is not a duration" + EXPECTED);
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ns" -> Duration.ofNanos(amount);
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException("unit " + unit);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(Scalars.quote(text) + " is too long" + EXPECTED, e);
        }
    }

    /**
     * Writes a duration in the largest unit that holds it exactly: {@code 90m}, {@code 1500ms},
     * {@code 0s}. {@link #parse} reads the result back to an equal duration.
     *
     * @throws IllegalArgumentException when the duration is negative, or finer than a day yet too
     *     long to count in the unit it needs
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
        }
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (nanos == 0) {
            if (seconds == 0) {
                return "0s";
            } else if (seconds % 86_400 == 0) {
                return seconds / 86_400 + "d";
            } else if (seconds % 3_600 == 0) {
                return seconds / 3_600 + "h";
            } else if (seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
        try {
            if (nanos % 1_000_000 == 0) {
                return Math.addExact(Math.multiplyExact(seconds, 1_000L), nanos / 1_000_000) + "ms";
            } else if (nanos % 1_000 == 0) {
                return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000) + "us";
            }
            return Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), nanos) + "ns";
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "duration: " + duration + " (expected: at most 292 years when finer than 1s)", e);
        }
    }
}
