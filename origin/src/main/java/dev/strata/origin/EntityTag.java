package dev.strata.origin;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An entity tag (RFC 9110 §8.8.3): an opaque quoted string, optionally marked weak with {@code W/}.
 *
 * @param opaque the characters between the quotes
 * @param weak whether the tag is weak
 */
record EntityTag(String opaque, boolean weak) {
    EntityTag {
        requireNonNull(opaque, "opaque");
        for (int i = 0; i < opaque.length(); i++) {
            if (!isEtagChar(opaque.charAt(i))) {
                throw new IllegalArgumentException("opaque: \"" + opaque + "\" (expected: etagc characters only)");
            }
        }
    }

    static EntityTag strong(String opaque) {
        return new EntityTag(opaque, false);
    }

    /** Strong comparison (§8.8.3.2): both strong and the same characters. */
    boolean strongMatch(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    /** Weak comparison (§8.8.3.2): the same characters, weak or not. */
    boolean weakMatch(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    /** The field value form: {@code "opaque"} or {@code W/"opaque"}. */
    @Override
    public String toString() {
        return (weak ? "W/\"" : "\"") + opaque + '"';
    }

    /**
     * Parses one entity tag, ignoring surrounding whitespace; empty when {@code text} is not exactly
     * one.
     */
    static Optional<EntityTag> parse(String text) {
        Optional<List<EntityTag>> tags = parseList(text);
        return tags.isPresent() && tags.get().size() == 1
                ? Optional.of(tags.get().get(0))
                : Optional.empty();
    }

    /**
     * Parses the {@code #entity-tag} list of {@code If-Match} and {@code If-None-Match} (not {@code
     * *}, which callers check first). Empty list elements are skipped as §5.6.1 asks; empty when the
     * value is malformed.
     */
    static Optional<List<EntityTag>> parseList(String text) {
        List<EntityTag> tags = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && (isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
                i++;
            }
            if (i == n) {
                return Optional.of(tags);
            }
            boolean weak = false;
            if (text.startsWith("W/", i)) {
                weak = true;
                i += 2;
            }
            if (i == n || text.charAt(i) != '"') {
                return Optional.empty();
            }
            int close = text.indexOf('"', i + 1);
            if (close < 0) {
                return Optional.empty();
            }
            String opaque = text.substring(i + 1, close);
            for (int j = 0; j < opaque.length(); j++) {
                if (!isEtagChar(opaque.charAt(j))) {
                    return Optional.empty();
                }
            }
            tags.add(new EntityTag(opaque, weak));
            i = close + 1;
            while (i < n && isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i < n && text.charAt(i) != ',') {
                return Optional.empty();
            }
        }
    }

    // etagc = %x21 / %x23-7E / obs-text
    private static boolean isEtagChar(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
