package dev.strata.proxy;

import dev.strata.config.ListenAddress;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * A node's admin listener: its own Undertow on its own address (loopback by default), never the
 * public port. It answers {@code /healthz} (the process is alive) and {@code /readyz} ({@link
 * Readiness}), plus the exact paths {@link ProxyNode} mounts (metrics, status page, reload).
 * Unknown paths get 404 with a one-line body naming them.
 */
final class AdminListener implements AutoCloseable {
    private final Undertow undertow;
    private final URI uri;

    private AdminListener(Undertow undertow, URI uri) {
        this.undertow = undertow;
        this.uri = uri;
    }

    /**
     * Starts listening.
     *
     * @param routes extra exact paths and their handlers
     * @throws IllegalStateException when the address cannot be bound, naming it and the cause
     */
    static AdminListener start(ListenAddress listen, Readiness readiness, Map<String, HttpHandler> routes) {
        PathHandler paths = new PathHandler(AdminListener::notFound);
        paths.addExactPath("/healthz", exchange -> text(exchange, 200, "ok\n"));
        paths.addExactPath("/readyz", exchange -> {
            Readiness.Verdict verdict = readiness.check();
            text(exchange, verdict.ready() ? 200 : 503, verdict.text());
        });
        routes.forEach(paths::addExactPath);
        Undertow undertow = Undertow.builder()
                .addHttpListener(listen.port(), listen.host())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(paths)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot listen on " + listen + " (admin): "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e);
        }
        InetSocketAddress bound =
                (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return new AdminListener(undertow, ProxyNode.uriOf(listen.host(), bound.getPort()));
    }

    /** The admin URL, with the real port when the configured one was 0. */
    URI uri() {
        return uri;
    }

    private static void notFound(HttpServerExchange exchange) {
        text(exchange, 404, "no admin endpoint at " + exchange.getRequestPath() + "\n");
    }

    /** Answers {@code status} with a short plain-text body (nothing for {@code HEAD}). */
    static void text(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(body);
        }
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
