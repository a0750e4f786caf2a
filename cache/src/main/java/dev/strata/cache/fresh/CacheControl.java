package dev.strata.cache.fresh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The parsed directives of one or more {@code Cache-Control} field lines (RFC 9111 §5.2).
 *
 * <p>Directive names are case-insensitive; values may be tokens or quoted strings. When a directive
 * appears more than once the first occurrence is used (§4.2.1 allows "either the first occurrence
 * should be used or the response should be considered stale"). A delta-seconds value that is not a
 * non-negative integer reads as 0, so the response is treated as stale, never as fresh for longer.
 */
public final class CacheControl {
    private static final CacheControl EMPTY = new CacheControl(Map.of());

    private final Map<String, String> directives;

    private CacheControl(Map<String, String> directives) {
        this.directives = directives;
    }

    /** Parses every line of the field, in order. */
    public static CacheControl parse(List<String> lines) {
        if (lines.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> directives = new LinkedHashMap<>();
        for (String line : lines) {
            parseLine(line, directives);
        }
        return new CacheControl(Map.copyOf(directives));
    }

    /** Directives read from a parsed targeted field (see {@link StructuredDictionary}). */
    static CacheControl of(Map<String, String> directives) {
        return directives.isEmpty() ? EMPTY : new CacheControl(Map.copyOf(directives));
    }

    private static void parseLine(String line, Map<String, String> into) {
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            int nameStart = i;
            while (i < n && line.charAt(i) != '=' && line.charAt(i) != ',') {
                i++;
            }
            boolean hasValue = i < n && line.charAt(i) == '=';
            // No whitespace may surround "=" (§5.2: token [ "=" ( token / quoted-string ) ]): "max-age
            // =60" keeps its space and names no known directive; "max-age= 60" has an invalid value.
            String rawName = line.substring(nameStart, i);
            String name = (hasValue ? rawName : rawName.strip()).toLowerCase(Locale.ROOT);
            String value = "";
            if (hasValue) {
                i++;
                if (i < n && line.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    while (i < n && line.charAt(i) != '"') {
                        if (line.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        quoted.append(line.charAt(i));
                        i++;
                    }
                    i++; // closing quote
                    value = quoted.toString();
                    while (i < n && line.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int valueStart = i;
                    while (i < n && line.charAt(i) != ',') {
                        i++;
                    }
                    value = line.substring(valueStart, i).stripTrailing();
                }
            }
            if (!name.isEmpty()) {
                into.putIfAbsent(name, value);
            }
        }
    }

    /** Whether the directive is present, with or without a value. */
    public boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /**
     * The raw value of a directive: the token or the quoted string's content, the empty string when
     * the directive has no value, null when it is absent.
     */
    public @Nullable String value(String directive) {
        return directives.get(directive);
    }

    /**
     * The delta-seconds value of a directive such as {@code max-age}; empty when absent, 0 when its
     * value is not a non-negative integer. Larger values are capped at 2^31 - 1 (§1.2.2: 2^31 or the
     * greatest integer conveniently represented, here an {@code int}).
     */
    public OptionalLong seconds(String directive) {
        String value = directives.get(directive);
        if (value == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(deltaSeconds(value));
    }

    /**
     * A delta-seconds value (RFC 9111 §1.2.2): a non-negative integer, capped at 2^31 - 1 ({@link
     * Integer#MAX_VALUE}); anything else reads as 0.
     */
    public static long deltaSeconds(String value) {
        if (value.isEmpty() || !allDigits(value)) {
            return 0;
        }
        int firstNonZero = 0;
        while (firstNonZero < value.length() - 1 && value.charAt(firstNonZero) == '0') {
            firstNonZero++; // leading zeros do not make a number larger
        }
        String digits = value.substring(firstNonZero);
        return digits.length() > 10 ? Integer.MAX_VALUE : Math.min(Long.parseLong(digits), Integer.MAX_VALUE);
    }

    private static boolean allDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return directives.toString();
    }
}
