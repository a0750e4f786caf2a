package dev.strata.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.time.Duration;

/**
 * The outermost step of a node's public listener: counts the requests in flight (Undertow's {@link
 * GracefulShutdownHandler}) and, once the node drains, answers every new request 503 with {@code
 * Connection: close}. The node closes its listening socket when it starts draining, so new
 * connections are refused; this is for requests that arrive on keep-alive connections already open,
 * whose clients then reconnect elsewhere. Cheap CPU work only: runs on the I/O thread.
 */
final class DrainHandler implements HttpHandler {
    private final GracefulShutdownHandler graceful;
    private final Responses responses;
    private volatile boolean draining;

    DrainHandler(Responses responses, HttpHandler next) {
        this.graceful = new GracefulShutdownHandler(next);
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (draining) {
            exchange.setPersistent(false);
            responses.error(exchange, 503, "Service Unavailable (draining: this node is shutting down)");
            return;
        }
        graceful.handleRequest(exchange);
    }

    /**
     * Refuses every request from now on; those in flight go on.
     *
     * @return false when it had begun already
     */
    synchronized boolean begin() {
        if (draining) {
            return false;
        }
        draining = true;
        graceful.shutdown();
        return true;
    }

    /** Whether {@link #begin()} was called. */
    boolean isDraining() {
        return draining;
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}.
     *
     * @return false when some still are
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return graceful.awaitShutdown(Math.max(1, timeout.toMillis()));
    }

    @Override
    public String toString() {
        return "drain";
    }
}
