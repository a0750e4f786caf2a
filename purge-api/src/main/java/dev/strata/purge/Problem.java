package dev.strata.purge;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/**
 * A problem document (RFC 9457, {@code application/problem+json}): what went wrong with a request.
 *
 * @param status the HTTP status
 * @param title a short summary of the problem type (the status's reason phrase)
 * @param detail what was wrong with this request and what was expected
 * @param field the request field at fault ({@code urls[2]}, {@code site}); empty when none
 */
record Problem(int status, String title, String detail, String field) {
    Problem {
        requireNonNull(title, "title");
        requireNonNull(detail, "detail");
        requireNonNull(field, "field");
    }

    static Problem badRequest(String field, String detail) {
        return new Problem(400, "Bad Request", detail, field);
    }

    static Problem forbidden(String detail) {
        return new Problem(403, "Forbidden", detail, "");
    }

    /** The purge log cannot be reached: worth a retry ({@code Retry-After: 1}). */
    static Problem unavailable(String detail) {
        return new Problem(503, "Service Unavailable", detail, "");
    }

    ObjectNode toJson() {
        ObjectNode node = PurgeJson.object();
        node.put("type", "about:blank");
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        if (!field.isEmpty()) {
            node.put("field", field);
        }
        return node;
    }

    /** Sends this problem as the response; on any thread, non-blocking. */
    void send(HttpServerExchange exchange) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (status == 401) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"strata-purge\"");
        } else if (status == 503) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 1);
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(PurgeJson.bytes(toJson())));
    }
}
