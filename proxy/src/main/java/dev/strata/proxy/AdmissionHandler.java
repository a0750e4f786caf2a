package dev.strata.proxy;

import dev.strata.config.LimitsConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.function.Supplier;

/**
 * The first step: rejects requests beyond the admission limits before they cost anything. Undertow
 * itself answers malformed HTTP and oversized header blocks with 400 and bodies past the limit
 * with 413 (the server options are set from the same {@link LimitsConfig}); this handler adds the
 * checks that need the parsed request, each refusal counted by reason ({@link Rejections}). The
 * limits are read once per request, so a reload applies them to the next request, on connections
 * already open too (the body limit is set per request). Cheap CPU work only: runs on the I/O thread.
 */
final class AdmissionHandler implements HttpHandler {
    private final Supplier<LimitsConfig> currentLimits;
    private final Responses responses;
    private final HttpHandler next;

    AdmissionHandler(Supplier<LimitsConfig> limits, Responses responses, HttpHandler next) {
        this.currentLimits = limits;
        this.responses = responses;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        LimitsConfig limits = currentLimits.get();
        if (exchange.isRequestChannelAvailable()) {
            exchange.setMaxEntitySize(limits.maxBodySize().bytes());
        }
        long uriLength =
                exchange.getRequestURI().length() + exchange.getQueryString().length();
        if (uriLength > limits.maxUriLength().bytes()) {
            responses.reject(
                    exchange,
                    Rejections.Reason.URI_TOO_LONG,
                    414,
                    "URI Too Long (limit " + limits.maxUriLength() + ", got " + uriLength + ")");
            return;
        }
        int fields = 0;
        long headerBytes = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            fields += values.size();
            for (String value : values) {
                headerBytes += values.getHeaderName().length() + value.length() + 4; // ": " and CRLF
            }
        }
        if (headerBytes > limits.maxHeaderSize().bytes()) {
            responses.reject(
                    exchange,
                    Rejections.Reason.HEADER_SIZE,
                    431,
                    "Request Header Fields Too Large (limit " + limits.maxHeaderSize() + ", got " + headerBytes
                            + " bytes)");
            return;
        }
        if (fields > limits.maxHeaders()) {
            responses.reject(
                    exchange,
                    Rejections.Reason.HEADER_COUNT,
                    431,
                    "Request Header Fields Too Large (limit " + limits.maxHeaders() + " fields, got " + fields + ")");
            return;
        }
        HeaderValues host = exchange.getRequestHeaders().get(Headers.HOST);
        if (host == null || host.size() != 1) {
            responses.reject(exchange, Rejections.Reason.HOST, 400, "Bad Request (expected exactly one Host header)");
            return;
        }
        if (!isHost(host.getFirst())) {
            responses.reject(
                    exchange,
                    Rejections.Reason.HOST,
                    400,
                    "Bad Request (Host is not a host name or address with an optional port)");
            return;
        }
        if (exchange.getRequestMethod().equalToString("CONNECT")) {
            responses.reject(exchange, Rejections.Reason.METHOD, 405, "Method Not Allowed (CONNECT)");
            return;
        }
        next.handleRequest(exchange);
    }

    /**
     * RFC 9110 §7.2 / RFC 3986 §3.2.2: a reg-name (letters, digits, {@code _ . -}, starting and
     * ending with a letter, digit or {@code _}, at most 254 characters, one trailing dot allowed),
     * an IPv4 address or a bracketed IPv6 literal, and an optional port of 1 to 5 digits. A scan,
     * not a regular expression: it runs for every request (a regex was 6% of a hit's CPU time).
     */
    static boolean isHost(String value) {
        int end = value.length();
        int colon = value.lastIndexOf(':');
        if (colon >= 0 && colon > value.lastIndexOf(']')) {
            int digits = end - colon - 1;
            if (digits < 1 || digits > 5 || !allDigits(value, colon + 1, end)) {
                return false;
            }
            end = colon;
        }
        if (end > 0 && value.charAt(0) == '[') {
            if (end < 3 || value.charAt(end - 1) != ']') {
                return false;
            }
            for (int i = 1; i < end - 1; i++) {
                char c = value.charAt(i);
                if (!(isHexDigit(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            return true;
        }
        if (end > 1 && value.charAt(end - 1) == '.') {
            end--; // one trailing dot: the absolute form of a name
        }
        if (end < 1 || end > 254 || !isNameEdge(value.charAt(0)) || !isNameEdge(value.charAt(end - 1))) {
            return false;
        }
        for (int i = 1; i < end - 1; i++) {
            char c = value.charAt(i);
            if (!(isNameEdge(c) || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isNameEdge(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    @Override
    public String toString() {
        return "admission";
    }
}
