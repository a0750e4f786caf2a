package dev.strata.proxy.waf;

import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding (RFC 3986 §2.1) of request parts for inspection, as UTF-8, remembering what was
 * wrong with the input: a malformed escape ({@code %zz}, a {@code %} at the end) is kept as written,
 * bytes that are not UTF-8 become U+FFFD, and an overlong UTF-8 form of an ASCII character ({@code
 * %c0%ae} for {@code .}, the classic way past a filter looking for {@code ../}) is noted apart from
 * mere non-UTF-8 bytes (a Latin-1 {@code %e9} is common and harmless).
 *
 * <p>Text without {@code %} (and, for a query, without {@code +}) is returned as it is, so the
 * common request costs a vectorized scan and no allocation. Not thread-safe: one per thread, reused.
 */
final class PercentDecoder {
    /** Bit set in {@link #problems()}: a {@code %} not followed by two hex digits. */
    static final int MALFORMED = 1;
    /** Bit set in {@link #problems()}: an overlong UTF-8 sequence (an ASCII character in disguise). */
    static final int OVERLONG = 2;

    private byte[] bytes = new byte[256];
    private int problems;

    /** What was wrong with the input of the last {@link #decode} (bits), 0 for nothing. */
    int problems() {
        return problems;
    }

    /**
     * Decodes {@code text}.
     *
     * @param plusIsSpace whether {@code +} stands for a space (a query, as HTML forms write it)
     */
    String decode(String text, boolean plusIsSpace) {
        problems = 0;
        if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
            return text; // two vectorized scans
        }
        if (bytes.length < text.length() * 3) {
            bytes = new byte[text.length() * 3]; // a non-ASCII char takes up to 3 bytes in UTF-8
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (low >= 0) {
                    bytes[n++] = (byte) (high << 4 | low);
                    i += 2;
                    continue;
                }
                problems |= MALFORMED;
                bytes[n++] = '%';
            } else if (c == '+' && plusIsSpace) {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                n = appendUtf8(c, n); // not in a valid request target, but a header may carry it
            }
        }
        if (hasOverlong(bytes, n)) {
            problems |= OVERLONG;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private int appendUtf8(char c, int at) {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(encoded, 0, bytes, at, encoded.length);
        return at + encoded.length;
    }

    /**
     * Whether the bytes hold an overlong UTF-8 sequence: a lead byte {@code C0} or {@code C1}, or
     * {@code E0} followed by {@code 80}–{@code 9F}, or {@code F0} followed by {@code 80}–{@code 8F}.
     */
    static boolean hasOverlong(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            if (b == 0xc0 || b == 0xc1) {
                return true;
            }
            if (i + 1 < length) {
                int next = bytes[i + 1] & 0xff;
                if ((b == 0xe0 && next >= 0x80 && next <= 0x9f) || (b == 0xf0 && next >= 0x80 && next <= 0x8f)) {
                    return true;
                }
            }
        }
        return false;
    }
}
