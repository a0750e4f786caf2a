package dev.strata.purge;

import dev.strata.config.PurgeApiConfig;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge API server. It answers {@code GET /healthz} with {@code {"status":"ok"}}; every other
 * request gets a 404 problem document (RFC 9457). The purge endpoints come with issue #6.
 */
public final class PurgeApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PurgeApiServer.class);

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final URI uri;

    private PurgeApiServer(Undertow undertow, GracefulShutdownHandler graceful, String host) {
        this.undertow = undertow;
        this.graceful = graceful;
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        this.uri = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
    }

    /** Starts listening on the configured address. */
    public static PurgeApiServer start(PurgeApiConfig config) {
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(PurgeApiServer::handle);
        Undertow undertow = Undertow.builder()
                .addHttpListener(config.listen().port(), config.listen().host())
                .setHandler(graceful)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot listen on " + config.listen() + ": "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e);
        }
        PurgeApiServer server =
                new PurgeApiServer(undertow, graceful, config.listen().host());
        log.info("purge-api listening on {}", server.uri);
        return server;
    }

    private static void handle(HttpServerExchange exchange) {
        if (exchange.getRequestPath().equals("/healthz")
                && (exchange.getRequestMethod().equalToString("GET")
                        || exchange.getRequestMethod().equalToString("HEAD"))) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.getResponseSender().send("{\"status\":\"ok\"}\n");
            return;
        }
        exchange.setStatusCode(404);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        exchange.getResponseSender()
                .send("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no such endpoint; the purge API answers GET /healthz\"}\n");
    }

    /** The URL of the API, with the real port when the configured one was 0. */
    public URI uri() {
        return uri;
    }

    /** Stops accepting, lets in-flight requests finish (up to 10 s) and closes the listener. */
    @Override
    public void close() {
        graceful.shutdown();
        try {
            graceful.awaitShutdown(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
    }
}
