package dev.strata.cache.lookup;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An entity tag (RFC 9110 §8.8.3): {@code "xyzzy"} or, weak, {@code W/"xyzzy"}.
 *
 * <p>Parsing is lenient where origins are sloppy: an unquoted tag ({@code ETag: abc}) is read as the
 * tag {@code "abc"}, so a client echoing it back still matches. A member with a stray quote or
 * whitespace inside is invalid and matches nothing. Lists split on commas outside quotes ({@code ,}
 * is a valid tag character).
 *
 * @param opaque the tag without quotes and without {@code W/}
 * @param weak whether it is a weak tag
 */
record EntityTag(String opaque, boolean weak) {
    EntityTag {
        requireNonNull(opaque, "opaque");
    }

    /** One entity tag, or null when {@code value} is not one. */
    static @Nullable EntityTag parse(String value) {
        String text = value.trim();
        boolean weak = text.startsWith("W/");
        if (weak) {
            text = text.substring(2);
        }
        if (text.length() >= 2 && text.charAt(0) == '"' && text.charAt(text.length() - 1) == '"') {
            String opaque = text.substring(1, text.length() - 1);
            return opaque.indexOf('"') < 0 ? new EntityTag(opaque, weak) : null;
        }
        if (text.isEmpty() || text.indexOf('"') >= 0 || containsWhitespace(text)) {
            return null;
        }
        return new EntityTag(text, weak);
    }

    /** The members of a list field such as {@code If-None-Match}, trimmed, empty ones dropped. */
    static List<String> members(List<String> lines) {
        List<String> members = new ArrayList<>();
        for (String line : lines) {
            boolean quoted = false;
            int start = 0;
            for (int i = 0; i <= line.length(); i++) {
                if (i == line.length() || (line.charAt(i) == ',' && !quoted)) {
                    String member = line.substring(start, i).trim();
                    if (!member.isEmpty()) {
                        members.add(member);
                    }
                    start = i + 1;
                } else if (line.charAt(i) == '"') {
                    quoted = !quoted;
                }
            }
        }
        return members;
    }

    /** Strong comparison (RFC 9110 §8.8.3.2): both strong and the same opaque tag. */
    boolean strongMatch(EntityTag other) {
        return !weak && !other.weak && opaque.equals(other.opaque);
    }

    /** Weak comparison (RFC 9110 §8.8.3.2): the same opaque tag, weak or not. */
    boolean weakMatch(EntityTag other) {
        return opaque.equals(other.opaque);
    }

    private static boolean containsWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return (weak ? "W/\"" : "\"") + opaque + "\"";
    }
}
