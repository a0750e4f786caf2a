package dev.strata.origin;

import static java.util.Objects.requireNonNull;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The static asset origin: an Undertow HTTP/1.1 server for one directory ({@code strata origin}),
 * the server that demos and tests put behind the shields and edges.
 *
 * <p>It answers GET and HEAD with Content-Type by extension, a strong content-derived ETag,
 * Last-Modified, Date, the configured Cache-Control and {@code Accept-Ranges: bytes}; evaluates
 * conditional requests (304, 412) and byte ranges (206, multipart/byteranges, 416) per RFC 9110;
 * answers 405 to other methods and 404 to anything outside the directory. File I/O runs on
 * Undertow's worker pool, never on an I/O thread, and bodies stream in constant memory.
 *
 * <pre>{@code
 * try (OriginServer origin = OriginServer.start(new OriginConfig(
 *     ListenAddress.of("127.0.0.1", 0), siteDir, "public, max-age=60"))) {
 *   URI base = origin.uri(); // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class OriginServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OriginServer.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int WRITE_TIMEOUT_MILLIS = 60_000;

    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final LongAdder requests;
    private final Path dir;
    private final URI uri;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OriginServer(
            Undertow undertow, GracefulShutdownHandler graceful, LongAdder requests, Path dir, String host) {
        this.undertow = undertow;
        this.graceful = graceful;
        this.requests = requests;
        this.dir = dir;
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        this.uri = URI.create("http://" + ListenAddress.of(host, port));
    }

    /**
     * Starts serving {@code config.dir()} on {@code config.listen()}, dating responses by the system
     * clock.
     *
     * @throws OriginException when the directory does not exist or the address cannot be bound
     */
    public static OriginServer start(OriginConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts serving {@code config.dir()} on {@code config.listen()}; {@code clock} gives the {@code
     * Date} of every response (and caps Last-Modified, which is never later than Date).
     *
     * @throws OriginException when the directory does not exist or the address cannot be bound
     */
    public static OriginServer start(OriginConfig config, Clock clock) {
        requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        Path dir = realDirectory(config.dir());
        LongAdder requests = new LongAdder();
        GracefulShutdownHandler graceful =
                new GracefulShutdownHandler(new StaticFileHandler(dir, config.cacheControl(), clock));
        ListenAddress listen = config.listen();
        Undertow undertow = Undertow.builder()
                .addHttpListener(listen.port(), listen.host())
                .setHandler(new DateAndCount(clock, requests, graceful))
                // Paths are decoded by StaticFileHandler, which needs to see %2F, %2e%2e and %00 as sent.
                .setServerOption(UndertowOptions.DECODE_URL, false)
                // Date comes from the injected clock instead.
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                // A client that stops reading must not hold a worker thread forever.
                .setSocketOption(Options.WRITE_TIMEOUT, WRITE_TIMEOUT_MILLIS)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new OriginException("cannot listen on " + listen + ": " + cause.getMessage(), e);
        }
        OriginServer server = new OriginServer(undertow, graceful, requests, dir, listen.host());
        log.info("Origin listening on {}, serving {}", server.uri, dir);
        return server;
    }

    private static Path realDirectory(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new OriginException("dir: " + dir + " (expected: an existing directory): " + e.getMessage(), e);
        }
        if (!Files.isDirectory(real)) {
            throw new OriginException("dir: " + dir + " (expected: a directory, not a file)");
        }
        return real;
    }

    /** {@code http://HOST:PORT} with the configured host and the port actually bound. */
    public URI uri() {
        return uri;
    }

    /** The port actually bound: the configured one, or the one the system chose for port 0. */
    public int port() {
        return port;
    }

    /** The directory served, as a real path. */
    public Path dir() {
        return dir;
    }

    /** How many requests this server has received, whatever their outcome; for tests and demos. */
    public long requestCount() {
        return requests.sum();
    }

    /**
     * Shuts down gracefully: new requests are refused with 503, requests in flight may finish (up to
     * 30 seconds), then the listener and its connections close. Blocks until done; idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Not ListenerInfo.suspend(): besides pausing accepts it closes every open connection,
        // cutting off the responses this method is meant to let finish.
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(DRAIN_TIMEOUT.toMillis())) {
                log.warn("Origin {} still had requests in flight after {}; stopping anyway", uri, DRAIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            undertow.stop();
        }
    }

    @Override
    public String toString() {
        return "OriginServer[" + uri + ", " + dir + "]";
    }

    /** First step of every request: count it and date it by the injected clock. */
    private static final class DateAndCount implements HttpHandler {
        private final Clock clock;
        private final LongAdder requests;
        private final HttpHandler next;

        DateAndCount(Clock clock, LongAdder requests, HttpHandler next) {
            this.clock = clock;
            this.requests = requests;
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            requests.increment();
            exchange.getResponseHeaders().put(Headers.DATE, HttpDates.format(clock.instant()));
            next.handleRequest(exchange);
        }

        @Override
        public String toString() {
            return "DateAndCount";
        }
    }
}
