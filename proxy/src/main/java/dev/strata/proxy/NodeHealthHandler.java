package dev.strata.proxy;

import dev.strata.config.HealthCheckConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * Answers {@code GET} and {@code HEAD} of {@value HealthCheckConfig#NODE_HEALTH_PATH} itself, for
 * any host, with {@code 200 ok}: what an edge's health checks of its shields ask, so that a check
 * costs no cache lookup and never reaches an origin. Once the node drains its listening socket is
 * closed (a check is refused) and {@link DrainHandler} answers 503 on connections still open, so the
 * checks see it go. Cheap CPU work only: runs on the I/O thread.
 */
final class NodeHealthHandler implements HttpHandler {
    private static final HttpString X_SERVED_BY = new HttpString("X-Served-By");

    private final String nodeName;
    private final HttpHandler next;

    NodeHealthHandler(String nodeName, HttpHandler next) {
        this.nodeName = nodeName;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!isHealthCheck(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 3);
        exchange.getResponseHeaders().put(X_SERVED_BY, nodeName);
        exchange.getResponseSender().send("ok\n");
    }

    /** Whether the request is a health check this handler answers. */
    static boolean isHealthCheck(HttpServerExchange exchange) {
        return exchange.getRequestPath().equals(HealthCheckConfig.NODE_HEALTH_PATH)
                && (exchange.getRequestMethod().equals(Methods.GET)
                        || exchange.getRequestMethod().equals(Methods.HEAD));
    }

    @Override
    public String toString() {
        return "node health";
    }
}
