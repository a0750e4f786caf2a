package dev.strata.cache.range;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Range} request header for the {@code bytes} unit (RFC 9110 §14.1.1, §14.2).
 *
 * <p>{@link #parse} only reads syntax: an invalid header (another unit, a malformed spec, {@code
 * last < first}, or more than {@link #MAX_RANGES} specs) is empty, and the server then ignores it
 * and answers 200. {@link #resolve} turns the specs into satisfiable ranges against a length; an
 * empty result means 416. Offsets too large for a {@code long} saturate at {@link Long#MAX_VALUE}
 * instead of overflowing. Stateless and thread-safe.
 */
public final class RangeHeader {
    /** More specs than this are treated as abuse and the header ignored, as §14.2 permits. */
    public static final int MAX_RANGES = 64;

    private RangeHeader() {}

    /** One {@code range-spec}: either {@code first-last}, {@code first-} or the suffix {@code -n}. */
    public sealed interface Spec permits FromTo, Suffix {}

    /**
     * {@code first-pos "-" [ last-pos ]}.
     *
     * @param first the first offset
     * @param last the last offset, at least {@code first}, or -1 when open-ended
     */
    public record FromTo(long first, long last) implements Spec {
        public FromTo {
            if (first < 0 || (last != -1 && last < first)) {
                throw new IllegalArgumentException(
                        "range-spec: " + first + "-" + last + " (expected: 0 <= first <= last, or last = -1)");
            }
        }
    }

    /**
     * {@code "-" suffix-length}.
     *
     * @param length how many bytes at the end, at least 0
     */
    public record Suffix(long length) implements Spec {
        public Suffix {
            if (length < 0) {
                throw new IllegalArgumentException("suffix-length: " + length + " (expected: >= 0)");
            }
        }
    }

    /** Parses a {@code Range} value; empty when it is not a valid {@code bytes} ranges-specifier. */
    public static Optional<List<Spec>> parse(String value) {
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return Optional.empty();
        }
        List<Spec> specs = new ArrayList<>();
        for (String element : value.substring(eq + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed (§5.6.1)
            }
            Optional<Spec> parsed = parseSpec(spec);
            if (parsed.isEmpty() || specs.size() == MAX_RANGES) {
                return Optional.empty();
            }
            specs.add(parsed.get());
        }
        return specs.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(specs));
    }

    private static Optional<Spec> parseSpec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String left = spec.substring(0, dash);
        String right = spec.substring(dash + 1);
        if (left.isEmpty()) {
            return isDigits(right) ? Optional.of(new Suffix(parseSaturated(right))) : Optional.empty();
        }
        if (!isDigits(left)) {
            return Optional.empty();
        }
        long first = parseSaturated(left);
        if (right.isEmpty()) {
            return Optional.of(new FromTo(first, -1));
        }
        if (!isDigits(right)) {
            return Optional.empty();
        }
        long last = parseSaturated(right);
        return last < first ? Optional.empty() : Optional.of(new FromTo(first, last));
    }

    /**
     * The satisfiable ranges of {@code specs} against a representation of {@code length} bytes, in
     * request order; empty when none is (§14.1.1: a spec is satisfiable when its first offset is
     * below the length, or it is a non-zero suffix of a non-empty representation).
     */
    public static List<ByteRange> resolve(List<Spec> specs, long length) {
        List<ByteRange> ranges = new ArrayList<>(specs.size());
        for (Spec spec : specs) {
            if (spec instanceof FromTo fromTo) {
                if (fromTo.first() < length) {
                    long last = fromTo.last() < 0 ? length - 1 : Math.min(fromTo.last(), length - 1);
                    ranges.add(new ByteRange(fromTo.first(), last));
                }
            } else if (spec instanceof Suffix suffix) {
                if (suffix.length() > 0 && length > 0) {
                    ranges.add(new ByteRange(Math.max(0, length - suffix.length()), length - 1));
                }
            }
        }
        return List.copyOf(ranges);
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Digits as a long, {@link Long#MAX_VALUE} when larger: no real representation is that big. */
    private static long parseSaturated(String digits) {
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
