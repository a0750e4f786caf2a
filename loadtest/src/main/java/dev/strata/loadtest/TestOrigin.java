package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An origin made for load tests, on loopback: {@code GET /anything?size=BYTES} answers 200 with a
 * body of that many bytes (default 1 KiB, at most {@link SizeMix#MAX_BYTES} times 8) and {@code
 * Cache-Control: public, max-age=300}, so a cache in front stores it, or with the fields of a
 * {@link FixedHead} instead. It counts its requests, and may answer slowly or fail some requests
 * ({@link OriginMode}).
 *
 * <p>Slow responses wait on the I/O thread's timer, never blocking it; failures are spread evenly
 * (request {@code n} fails when {@code floor(n * rate)} grows), answering 503 with {@code
 * Cache-Control: no-store}. Thread-safe.
 */
public final class TestOrigin implements AutoCloseable {
    private static final int MAX_BYTES = 8 * SizeMix.MAX_BYTES;
    private static final int DEFAULT_BYTES = 1024;
    private static final ByteBuffer BODY = body();

    private final OriginMode mode;
    /** The head's fields as Undertow writes them; empty for the origin's own. */
    private final HttpString[] headNames;

    private final String[] headValues;
    private final Undertow undertow;
    private final AtomicLong requests = new AtomicLong();
    private final URI uri;

    private TestOrigin(OriginMode mode, @Nullable FixedHead head, int port) {
        this.mode = mode;
        List<FixedHead.Field> fields = head == null ? List.of() : head.fields();
        this.headNames = fields.stream().map(f -> new HttpString(f.name())).toArray(HttpString[]::new);
        this.headValues = fields.stream().map(FixedHead.Field::value).toArray(String[]::new);
        this.undertow = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(1)
                .addHttpListener(port, "127.0.0.1")
                .setHandler(new Handler())
                .build();
        undertow.start();
        int bound = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        this.uri = URI.create("http://127.0.0.1:" + bound);
    }

    /** Starts an origin on 127.0.0.1 and a port the system chooses. */
    public static TestOrigin start(OriginMode mode) {
        return new TestOrigin(requireNonNull(mode, "mode"), null, 0);
    }

    /**
     * Starts an origin whose answers carry {@code head}'s fields instead of {@code Cache-Control}
     * and {@code Content-Type} (a bare ceiling with another server's head; see {@link FixedHead}).
     */
    public static TestOrigin start(OriginMode mode, FixedHead head) {
        return new TestOrigin(requireNonNull(mode, "mode"), requireNonNull(head, "head"), 0);
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public URI uri() {
        return uri;
    }

    /** Requests received so far. */
    public long requestCount() {
        return requests.get();
    }

    public OriginMode mode() {
        return mode;
    }

    @Override
    public void close() {
        undertow.stop();
    }

    /**
     * The bytes every answer is cut from, in direct memory as Strata's memory tier keeps its bodies,
     * so that as the bare ceiling of {@code compare.sh} it is written without a copy too.
     */
    private static ByteBuffer body() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(MAX_BYTES);
        for (int i = 0; i < MAX_BYTES; i++) {
            bytes.put((byte) ('a' + i % 26));
        }
        return bytes.flip().asReadOnlyBuffer();
    }

    private final class Handler implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            long n = requests.getAndIncrement();
            boolean fail = (long) Math.floor((n + 1) * mode.failureRate()) > (long) Math.floor(n * mode.failureRate());
            if (mode.delay().isZero()) {
                respond(exchange, fail);
                return;
            }
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread()
                    .executeAfter(() -> respond(exchange, fail), mode.delay().toNanos(), TimeUnit.NANOSECONDS));
        }

        private void respond(HttpServerExchange exchange, boolean fail) {
            if (fail) {
                exchange.setStatusCode(503);
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.getResponseSender().send("origin failing on purpose\n");
                return;
            }
            int size = size(exchange);
            if (size < 0) {
                exchange.setStatusCode(400);
                exchange.getResponseSender().send("size: expected 0 to " + MAX_BYTES + " bytes\n");
                return;
            }
            HeaderMap out = exchange.getResponseHeaders();
            if (headNames.length == 0) {
                out.put(Headers.CACHE_CONTROL, "public, max-age=300");
                out.put(Headers.CONTENT_TYPE, "application/octet-stream");
            } else {
                for (int i = 0; i < headNames.length; i++) {
                    out.add(headNames[i], headValues[i]);
                }
            }
            out.put(Headers.CONTENT_LENGTH, size);
            ByteBuffer body = BODY.duplicate();
            body.limit(size);
            exchange.getResponseSender().send(body);
        }

        /** The {@code size} parameter, the default without one, -1 when invalid. */
        private int size(HttpServerExchange exchange) {
            Deque<String> values = exchange.getQueryParameters().get("size");
            if (values == null || values.isEmpty()) {
                return DEFAULT_BYTES;
            }
            try {
                int size = Integer.parseInt(values.getFirst());
                return size >= 0 && size <= MAX_BYTES ? size : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        @Override
        public String toString() {
            return "TestOrigin.Handler(" + mode + ")";
        }
    }
}
