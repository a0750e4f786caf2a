package dev.strata.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link AccessLogEntry} becomes one line of text. Both formats write ASCII only, so no
 * request can break a line or forge a field, whatever bytes it sent.
 *
 * <ul>
 *   <li>{@code combined}: nginx's and Apache's combined format, then Strata's fields, space
 *       separated, {@code -} for none:
 *       <pre>
 * CLIENT - - [TIME] "METHOD TARGET PROTOCOL" STATUS BODY_BYTES "REFERER" "USER_AGENT" \
 *     CACHE UPSTREAM_SECONDS BYTES_SENT NODE REQUEST_ID TOTAL_SECONDS</pre>
 *       Quotes, backslashes, control characters and anything beyond ASCII are written as {@code
 *       \xHH} (a character above U+00FF as the {@code \xHH} of each of its UTF-8 bytes), as nginx
 *       escapes its variables; so are spaces outside the referer and user agent, so splitting at
 *       spaces and quotes always finds the fields.
 *   <li>{@code json}: one object per line with the same fields under the names {@code time},
 *       {@code client}, {@code method}, {@code uri}, {@code protocol}, {@code status}, {@code
 *       body_bytes}, {@code referer}, {@code user_agent}, {@code cache}, {@code upstream_seconds},
 *       {@code bytes_sent}, {@code node}, {@code request_id}, {@code total_seconds}; {@code null}
 *       for none, strings escaped by RFC 8259 with every character beyond ASCII as {@code \}{@code
 *       uXXXX}.
 * </ul>
 *
 * <p>Times are seconds with millisecond precision, as nginx's {@code $request_time}. A timestamp is
 * formatted once per second and reused. Not thread-safe: one instance per writer thread.
 */
public final class AccessLogFormat {
    private static final DateTimeFormatter COMBINED_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter JSON_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter JSON_OFFSET = DateTimeFormatter.ofPattern("XXX", Locale.ROOT);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final boolean json;
    private final ZoneId zone;
    /** The second {@link #secondText} and {@link #offsetText} are of; the last one formatted. */
    private long second = Long.MIN_VALUE;

    private String secondText = "";
    private String offsetText = "";

    private AccessLogFormat(boolean json, ZoneId zone) {
        this.json = json;
        this.zone = zone;
    }

    /**
     * The time of {@code millis}: {@code 23/Nov/2026:12:00:00 +0000} (combined) or {@code
     * 2026-11-23T12:00:00.042Z} (json).
     */
    private void appendTime(long millis, StringBuilder out) {
        long now = Math.floorDiv(millis, 1000);
        if (now != second) {
            Instant instant = Instant.ofEpochSecond(now);
            secondText = (json ? JSON_SECOND : COMBINED_TIME).withZone(zone).format(instant);
            offsetText = json ? JSON_OFFSET.withZone(zone).format(instant) : "";
            second = now;
        }
        out.append(secondText);
        if (json) {
            int fraction = (int) Math.floorMod(millis, 1000L);
            out.append('.').append((char) ('0' + fraction / 100)).append((char) ('0' + fraction / 10 % 10));
            out.append((char) ('0' + fraction % 10)).append(offsetText);
        }
    }

    /**
     * The format named {@code name}.
     *
     * @param name {@code combined} or {@code json}
     * @param zone the time zone of the timestamps
     * @throws IllegalArgumentException for another name
     */
    public static AccessLogFormat of(String name, ZoneId zone) {
        requireNonNull(zone, "zone");
        return switch (name) {
            case "combined" -> new AccessLogFormat(false, zone);
            case "json" -> new AccessLogFormat(true, zone);
            default -> throw new IllegalArgumentException(
                    "access log format: \"" + name + "\" (expected: combined or json)");
        };
    }

    /** Appends {@code entry} to {@code out} as one line, without the line break. */
    public void append(AccessLogEntry entry, StringBuilder out) {
        if (json) {
            appendJson(entry, out);
        } else {
            appendCombined(entry, out);
        }
    }

    /** {@code entry} as one line, without the line break. */
    public String format(AccessLogEntry entry) {
        StringBuilder out = new StringBuilder(256);
        append(entry, out);
        return out.toString();
    }

    private void appendCombined(AccessLogEntry e, StringBuilder out) {
        escaped(e.client(), out);
        out.append(" - - [");
        appendTime(e.timeMillis(), out);
        out.append("] \"");
        escaped(e.method(), out);
        out.append(' ');
        escaped(e.path(), out);
        if (!e.query().isEmpty()) {
            out.append('?');
            escaped(e.query(), out);
        }
        out.append(' ');
        escaped(e.protocol(), out);
        out.append("\" ").append(e.status()).append(' ').append(e.bodyBytes()).append(" \"");
        quotedOrDash(e.referer(), out);
        out.append("\" \"");
        quotedOrDash(e.userAgent(), out);
        out.append("\" ");
        if (e.cache() == null || e.cache().isEmpty()) {
            out.append('-');
        } else {
            escaped(e.cache(), out);
        }
        out.append(' ');
        if (e.upstreamNanos() < 0) {
            out.append('-');
        } else {
            seconds(e.upstreamNanos(), out);
        }
        out.append(' ').append(e.bytesSent()).append(' ');
        escaped(e.node(), out);
        out.append(' ');
        escaped(e.requestId(), out);
        out.append(' ');
        seconds(e.totalNanos(), out);
    }

    private void appendJson(AccessLogEntry e, StringBuilder out) {
        out.append("{\"time\":\"");
        appendTime(e.timeMillis(), out);
        out.append("\",\"client\":");
        jsonString(e.client(), out);
        out.append(",\"method\":");
        jsonString(e.method(), out);
        out.append(",\"uri\":\"");
        jsonChars(e.path(), out);
        if (!e.query().isEmpty()) {
            out.append('?');
            jsonChars(e.query(), out);
        }
        out.append("\",\"protocol\":");
        jsonString(e.protocol(), out);
        out.append(",\"status\":").append(e.status());
        out.append(",\"body_bytes\":").append(e.bodyBytes());
        out.append(",\"referer\":");
        jsonString(e.referer(), out);
        out.append(",\"user_agent\":");
        jsonString(e.userAgent(), out);
        out.append(",\"cache\":");
        jsonString(e.cache(), out);
        out.append(",\"upstream_seconds\":");
        if (e.upstreamNanos() < 0) {
            out.append("null");
        } else {
            seconds(e.upstreamNanos(), out);
        }
        out.append(",\"bytes_sent\":").append(e.bytesSent());
        out.append(",\"node\":");
        jsonString(e.node(), out);
        out.append(",\"request_id\":");
        jsonString(e.requestId(), out);
        out.append(",\"total_seconds\":");
        seconds(e.totalNanos(), out);
        out.append('}');
    }

    /** Seconds with three decimals, rounded to the millisecond: {@code 0.012}. */
    static void seconds(long nanos, StringBuilder out) {
        long millis = (Math.max(0, nanos) + 500_000) / 1_000_000;
        out.append(millis / 1000).append('.');
        long fraction = millis % 1000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
    }

    /** The text of a quoted field (spaces kept), or {@code -}. */
    private static void quotedOrDash(@Nullable String text, StringBuilder out) {
        if (text == null || text.isEmpty()) {
            out.append('-');
        } else {
            escaped(text, true, out);
        }
    }

    /** The text of an unquoted field, or of the request line's parts: spaces escaped too. */
    static void escaped(String text, StringBuilder out) {
        escaped(text, false, out);
    }

    /**
     * nginx's escaping: printable ASCII but {@code "} and {@code \} as is, every other byte {@code
     * \xHH}; a space too unless {@code spaces}.
     */
    private static void escaped(String text, boolean spaces, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c > 0x20 && c < 0x7f && c != '"' && c != '\\') || (c == ' ' && spaces)) {
                out.append(c);
            } else if (c <= 0xff) {
                hexByte(c, out); // a request's bytes, as Undertow decodes them (ISO-8859-1)
            } else {
                int codePoint = text.codePointAt(i);
                if (Character.isSupplementaryCodePoint(codePoint)) {
                    i++;
                }
                utf8(codePoint, out);
            }
        }
    }

    private static void utf8(int codePoint, StringBuilder out) {
        if (codePoint < 0x800) {
            hexByte(0xc0 | (codePoint >> 6), out);
        } else if (codePoint < 0x10000) {
            hexByte(0xe0 | (codePoint >> 12), out);
            hexByte(0x80 | ((codePoint >> 6) & 0x3f), out);
        } else {
            hexByte(0xf0 | (codePoint >> 18), out);
            hexByte(0x80 | ((codePoint >> 12) & 0x3f), out);
            hexByte(0x80 | ((codePoint >> 6) & 0x3f), out);
        }
        hexByte(0x80 | (codePoint & 0x3f), out);
    }

    private static void hexByte(int b, StringBuilder out) {
        out.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }

    private static void jsonString(@Nullable String text, StringBuilder out) {
        if (text == null) {
            out.append("null");
            return;
        }
        out.append('"');
        jsonChars(text, out);
        out.append('"');
    }

    /** RFC 8259 §7, ASCII only: {@code \"}, {@code \\}, short escapes, {@code \}{@code uXXXX} otherwise. */
    static void jsonChars(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xf])
                                .append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return json ? "json" : "combined";
    }
}
