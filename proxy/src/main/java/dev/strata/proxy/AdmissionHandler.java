package dev.strata.proxy;

import dev.strata.config.LimitsConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.regex.Pattern;

/**
 * The first step: rejects requests beyond the admission limits before they cost anything. Undertow
 * itself answers malformed HTTP and oversized header blocks with 400 and bodies past the limit
 * with 413 (the server options are set from the same {@link LimitsConfig}); this handler adds the
 * checks that need the parsed request. Cheap CPU work only: runs on the I/O thread.
 */
final class AdmissionHandler implements HttpHandler {
    /** RFC 9110 §7.2 / RFC 3986 §3.2.2: a reg-name, IPv4 or bracketed IPv6 literal, optional port. */
    private static final Pattern HOST = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}[A-Za-z0-9_])?\\.?)(:[0-9]{1,5})?");

    private final LimitsConfig limits;
    private final Responses responses;
    private final HttpHandler next;

    AdmissionHandler(LimitsConfig limits, Responses responses, HttpHandler next) {
        this.limits = limits;
        this.responses = responses;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long uriLength =
                exchange.getRequestURI().length() + exchange.getQueryString().length();
        if (uriLength > limits.maxUriLength().bytes()) {
            responses.error(exchange, 414, "URI Too Long (limit " + limits.maxUriLength() + ", got " + uriLength + ")");
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
            responses.error(
                    exchange,
                    431,
                    "Request Header Fields Too Large (limit " + limits.maxHeaderSize() + ", got " + headerBytes
                            + " bytes)");
            return;
        }
        if (fields > limits.maxHeaders()) {
            responses.error(
                    exchange,
                    431,
                    "Request Header Fields Too Large (limit " + limits.maxHeaders() + " fields, got " + fields + ")");
            return;
        }
        HeaderValues host = exchange.getRequestHeaders().get(Headers.HOST);
        if (host == null || host.size() != 1) {
            responses.error(exchange, 400, "Bad Request (expected exactly one Host header)");
            return;
        }
        if (!HOST.matcher(host.getFirst()).matches()) {
            responses.error(exchange, 400, "Bad Request (Host is not a host name or address with an optional port)");
            return;
        }
        if (exchange.getRequestMethod().equalToString("CONNECT")) {
            responses.error(exchange, 405, "Method Not Allowed (CONNECT)");
            return;
        }
        next.handleRequest(exchange);
    }

    @Override
    public String toString() {
        return "admission";
    }
}
