package dev.strata.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;

/**
 * The first step: gives the request its id ({@link RequestIds}): the one {@code X-Request-Id} it
 * came with when that is valid, a new one otherwise (none, several, too long, bad characters). The
 * id is attached for the steps after ({@link ProxyKeys#REQUEST_ID}: the fetch sends it upstream,
 * the access log records it) and set on the response now, so every answer carries it: hits,
 * misses and errors alike. Cheap CPU work only: runs on the I/O thread.
 */
final class RequestIdHandler implements HttpHandler {
    private final HttpHandler next;

    RequestIdHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderValues given = exchange.getRequestHeaders().get(RequestIds.HEADER);
        String id = given != null && given.size() == 1 && RequestIds.isValid(given.getFirst())
                ? given.getFirst()
                : RequestIds.generate();
        exchange.putAttachment(ProxyKeys.REQUEST_ID, id);
        exchange.getResponseHeaders().put(RequestIds.HEADER, id);
        next.handleRequest(exchange);
    }

    /** The request's id: set by this handler at the start of every exchange of a node. */
    static String of(HttpServerExchange exchange) {
        String id = exchange.getAttachment(ProxyKeys.REQUEST_ID);
        return id == null ? "-" : id;
    }

    @Override
    public String toString() {
        return "request id";
    }
}
