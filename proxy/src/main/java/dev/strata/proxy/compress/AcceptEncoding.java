package dev.strata.proxy.compress;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The content coding a request's {@code Accept-Encoding} prefers (RFC 9110 §12.5.3), among {@code
 * br}, {@code gzip} and the identity.
 *
 * <ul>
 *   <li>No field, or an empty one: the identity. (§12.5.3 lets a server pick any coding for a
 *       request without the field; like nginx and every CDN we send the identity, since nothing
 *       says the client can decode anything.)
 *   <li>Each member is a coding with an optional weight {@code q} from 0 to 1 (§12.4.2, at most
 *       three decimals); {@code q=0} means "not acceptable". Codings are case-insensitive; {@code
 *       x-gzip} is {@code gzip} (§8.4.1.3). A member whose weight is not a valid qvalue is ignored.
 *       When a coding is listed twice, its highest weight counts.
 *   <li>{@code *} gives its weight to every coding not listed, the identity included.
 *   <li>The coding with the highest weight wins; at equal weights {@code br} beats {@code gzip} and
 *       either beats the identity (a client that lists a coding wants it). The identity wins only
 *       when it is listed (or covered by {@code *}) with a strictly higher weight than both.
 *   <li>When nothing the edge can produce is acceptable — {@code identity}, {@code deflate},
 *       {@code *;q=0} — the answer is the identity, even where {@code identity;q=0} or {@code
 *       *;q=0} refuse it: §12.5.3 allows that, and a 406 for a static asset helps nobody (nginx
 *       does the same).
 * </ul>
 *
 * <p>Parses without allocating; stateless and thread-safe; cheap enough for an I/O thread.
 */
public final class AcceptEncoding {
    /** Weights are thousandths: 1000 is {@code q=1}. */
    private static final int UNLISTED = -1;

    private AcceptEncoding() {}

    /**
     * The coding to send, or null for the identity.
     *
     * @param fieldLines the request's {@code Accept-Encoding} field lines, in order; empty when absent
     * @param brotli whether Brotli can be produced (its native library loaded)
     */
    public static @Nullable ContentCoding select(List<String> fieldLines, boolean brotli) {
        if (fieldLines.isEmpty()) {
            return null;
        }
        int br = UNLISTED;
        int gzip = UNLISTED;
        int identity = UNLISTED;
        int star = UNLISTED;
        for (int line = 0; line < fieldLines.size(); line++) {
            String text = fieldLines.get(line);
            int start = 0;
            while (start <= text.length()) {
                int end = text.indexOf(',', start);
                if (end < 0) {
                    end = text.length();
                }
                int semicolon = text.indexOf(';', start);
                int codingEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
                int from = skipSpace(text, start, codingEnd);
                int to = trimEnd(text, from, codingEnd);
                if (to > from) {
                    int weight = codingEnd == end ? 1000 : weight(text, codingEnd + 1, end);
                    if (weight >= 0) {
                        if (is(text, from, to, "br")) {
                            br = Math.max(br, weight);
                        } else if (is(text, from, to, "gzip") || is(text, from, to, "x-gzip")) {
                            gzip = Math.max(gzip, weight);
                        } else if (is(text, from, to, "identity")) {
                            identity = Math.max(identity, weight);
                        } else if (is(text, from, to, "*")) {
                            star = Math.max(star, weight);
                        }
                    }
                }
                start = end + 1;
            }
        }
        int brWeight = !brotli ? 0 : br != UNLISTED ? br : Math.max(0, star);
        int gzipWeight = gzip != UNLISTED ? gzip : Math.max(0, star);
        int identityWeight = identity != UNLISTED ? identity : star;
        ContentCoding best;
        int bestWeight;
        if (brWeight > 0 && brWeight >= gzipWeight) {
            best = ContentCoding.BR;
            bestWeight = brWeight;
        } else if (gzipWeight > 0) {
            best = ContentCoding.GZIP;
            bestWeight = gzipWeight;
        } else {
            return null;
        }
        return identityWeight > bestWeight ? null : best;
    }

    /**
     * The weight in thousandths from the parameters between {@code from} and {@code to} ({@code
     * ;q=0.8}, other parameters ignored); 1000 without {@code q}; -1 when {@code q} is not a valid
     * qvalue.
     */
    private static int weight(String text, int from, int to) {
        int start = from;
        while (start < to) {
            int end = text.indexOf(';', start);
            if (end < 0 || end > to) {
                end = to;
            }
            int name = skipSpace(text, start, end);
            int nameEnd = trimEnd(text, name, end);
            if (nameEnd - name >= 2
                    && (text.charAt(name) == 'q' || text.charAt(name) == 'Q')
                    && equalsAfterSpace(text, name + 1, nameEnd)) {
                int value = skipSpace(text, text.indexOf('=', name + 1) + 1, nameEnd);
                return qvalue(text, value, nameEnd);
            }
            start = end + 1;
        }
        return 1000;
    }

    /** Whether the text from {@code from} is optional whitespace then {@code =}. */
    private static boolean equalsAfterSpace(String text, int from, int to) {
        int at = skipSpace(text, from, to);
        return at < to && text.charAt(at) == '=';
    }

    /** RFC 9110 §12.4.2: {@code 0[.ddd]} or {@code 1[.000]}, in thousandths; -1 when invalid. */
    private static int qvalue(String text, int from, int to) {
        if (from >= to || to - from > 5) {
            return -1;
        }
        char first = text.charAt(from);
        if (first != '0' && first != '1') {
            return -1;
        }
        int thousandths = first == '1' ? 1000 : 0;
        if (to - from == 1) {
            return thousandths;
        }
        if (text.charAt(from + 1) != '.') {
            return -1;
        }
        int scale = 100;
        for (int i = from + 2; i < to; i++) {
            char digit = text.charAt(i);
            if (digit < '0' || digit > '9' || (first == '1' && digit != '0')) {
                return -1;
            }
            thousandths += (digit - '0') * scale;
            scale /= 10;
        }
        return thousandths;
    }

    private static boolean is(String text, int from, int to, String token) {
        return to - from == token.length() && text.regionMatches(true, from, token, 0, token.length());
    }

    private static int skipSpace(String text, int from, int to) {
        int at = Math.max(0, from);
        while (at < to && isSpace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static int trimEnd(String text, int from, int to) {
        int at = to;
        while (at > from && isSpace(text.charAt(at - 1))) {
            at--;
        }
        return at;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
