package dev.strata.cache.fresh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parser for Dictionary Structured Fields (RFC 8941 §3.2, §4.2.2), as targeted cache-control
 * fields such as {@code CDN-Cache-Control} require (RFC 9213 §2.2): a field that does not parse is
 * ignored as a whole, unlike {@code Cache-Control}, whose parser is lenient.
 *
 * <p>Members map to the string form a cache directive value has in {@code Cache-Control}, so that
 * {@link CacheControl} can read them: an Integer or Decimal to its text ({@code -5} and {@code 1.5}
 * then read as an invalid delta-seconds, like in {@code Cache-Control}), a String to its content in
 * double quotes (so a String where a number is expected, {@code max-age="60"}, is as invalid as a
 * decimal: RFC 9213 §2.1 says such values are not to be used), a Token to itself, a Byte Sequence to its {@code :base64:} text, Boolean true (a bare key) and an
 * Inner List to the empty string. Boolean false ({@code no-store=?0}) removes the key: the
 * directive is absent. Parameters are parsed and ignored. A later duplicate key replaces an earlier
 * one (§4.2.2).
 */
final class StructuredDictionary {
    private static final int MAX_INTEGER_DIGITS = 15;

    private final String input;
    private int pos;

    private StructuredDictionary(String input) {
        this.input = input;
    }

    /**
     * The members of the field's lines (combined with {@code ", "} as RFC 8941 §4.2 requires), or
     * null when the field does not parse.
     */
    static @Nullable Map<String, String> parse(List<String> lines) {
        StructuredDictionary parser = new StructuredDictionary(String.join(", ", lines));
        try {
            return parser.dictionary();
        } catch (SyntaxException e) {
            return null;
        }
    }

    private Map<String, String> dictionary() {
        Map<String, String> members = new LinkedHashMap<>();
        skipSpaces();
        while (pos < input.length()) {
            String key = key();
            @Nullable String value;
            if (peek() == '=') {
                pos++;
                value = peek() == '(' ? innerList() : bareItem();
            } else {
                value = "";
            }
            parameters();
            members.remove(key); // a later duplicate replaces an earlier one, also in order
            if (value != null) {
                members.put(key, value);
            }
            skipOws();
            if (pos >= input.length()) {
                break;
            }
            expect(',');
            skipOws();
            if (pos >= input.length()) {
                throw new SyntaxException(); // trailing comma
            }
        }
        return members;
    }

    private String key() {
        int start = pos;
        char first = peek();
        if (!(isLcAlpha(first) || first == '*')) {
            throw new SyntaxException();
        }
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
                break;
            }
            pos++;
        }
        return input.substring(start, pos);
    }

    private void parameters() {
        while (peek() == ';') {
            pos++;
            skipSpaces();
            key();
            if (peek() == '=') {
                pos++;
                bareItem();
            }
        }
    }

    private String innerList() {
        expect('(');
        while (true) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                return "";
            }
            bareItem();
            parameters();
            char next = peek();
            if (next != ' ' && next != ')') {
                throw new SyntaxException();
            }
        }
    }

    /** The item's string form, or null for Boolean false. */
    private @Nullable String bareItem() {
        char c = peek();
        if (c == '-' || isDigit(c)) {
            return number();
        } else if (c == '"') {
            return string();
        } else if (c == '*' || isAlpha(c)) {
            return token();
        } else if (c == ':') {
            return byteSequence();
        } else if (c == '?') {
            return bool() ? "" : null;
        }
        throw new SyntaxException();
    }

    private String number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (!isDigit(peek())) {
            throw new SyntaxException();
        }
        int integerDigits = 0;
        while (isDigit(peek())) {
            pos++;
            integerDigits++;
        }
        if (peek() != '.') {
            if (integerDigits > MAX_INTEGER_DIGITS) {
                throw new SyntaxException();
            }
            return input.substring(start, pos);
        }
        if (integerDigits > 12) {
            throw new SyntaxException();
        }
        pos++;
        int fractionDigits = 0;
        while (isDigit(peek())) {
            pos++;
            fractionDigits++;
        }
        if (fractionDigits == 0 || fractionDigits > 3) {
            throw new SyntaxException();
        }
        return input.substring(start, pos);
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (pos < input.length()) {
            char c = input.charAt(pos++);
            if (c == '\\') {
                char escaped = peek();
                if (escaped != '"' && escaped != '\\') {
                    throw new SyntaxException();
                }
                value.append(escaped);
                pos++;
            } else if (c == '"') {
                return value.insert(0, '"').append('"').toString();
            } else if (c < 0x20 || c > 0x7e) {
                throw new SyntaxException();
            } else {
                value.append(c);
            }
        }
        throw new SyntaxException(); // unterminated
    }

    private String token() {
        int start = pos;
        pos++;
        while (pos < input.length()
                && (isTchar(input.charAt(pos)) || input.charAt(pos) == ':' || input.charAt(pos) == '/')) {
            pos++;
        }
        return input.substring(start, pos);
    }

    private String byteSequence() {
        int start = pos;
        expect(':');
        while (pos < input.length() && input.charAt(pos) != ':') {
            char c = input.charAt(pos);
            if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
                throw new SyntaxException();
            }
            pos++;
        }
        expect(':');
        return input.substring(start, pos);
    }

    private boolean bool() {
        expect('?');
        char c = peek();
        if (c != '0' && c != '1') {
            throw new SyntaxException();
        }
        pos++;
        return c == '1';
    }

    private char peek() {
        return pos < input.length() ? input.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new SyntaxException();
        }
        pos++;
    }

    private void skipSpaces() {
        while (peek() == ' ') {
            pos++;
        }
    }

    private void skipOws() {
        while (peek() == ' ' || peek() == '\t') {
            pos++;
        }
    }

    private static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAlpha(char c) {
        return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A token character (RFC 9110 §5.6.2). */
    static boolean isTchar(char c) {
        return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A parse failure; the field is ignored. Carries no stack trace: it is an expected outcome. */
    private static final class SyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxException() {
            super(null, null, false, false);
        }
    }
}
