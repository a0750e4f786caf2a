package dev.strata.proxy;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * An origin for conformance tests whose answer per path is a script: a function of the request and
 * its number, so a test can change headers, status or body between requests, answer 304 to the
 * proxy's own validators, or drop the connection. Every request is recorded with its method and
 * header fields. {@code Date} is the test clock's time unless the reply sets its own or none.
 *
 * <p>Handlers run on Undertow's I/O threads and never block (the recording is lock-free).
 */
final class ScriptedOrigin implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    /** A request as the origin received it. */
    record Seen(String method, String path, String query, Map<String, List<String>> headers) {
        /** The first value of a request field (case-insensitive), or null. */
        @Nullable
        String first(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.get(0);
        }

        List<String> all(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue();
                }
            }
            return List.of();
        }
    }

    /** How to answer one request. */
    static final class Reply {
        private final int status;
        private final List<String[]> headers = new ArrayList<>();
        private @Nullable String body;
        private byte @Nullable [] bytes;
        private boolean disconnect;
        private boolean date = true;

        private Reply(int status) {
            this.status = status;
        }

        static Reply status(int status) {
            return new Reply(status);
        }

        static Reply ok() {
            return new Reply(200);
        }

        /** Closes the connection without answering. */
        static Reply disconnect() {
            Reply reply = new Reply(0);
            reply.disconnect = true;
            return reply;
        }

        /** Adds a field line; the same name may be added more than once. */
        Reply header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Reply body(String text) {
            this.body = text;
            return this;
        }

        /** A body of exactly these bytes (say, an already gzipped one). */
        Reply body(byte[] raw) {
            this.bytes = raw.clone();
            return this;
        }

        /** Sends no {@code Date} at all. */
        Reply noDate() {
            this.date = false;
            return this;
        }
    }

    /** Chooses the reply to the {@code n}th request (from 1) for a path. */
    interface Script {
        Reply answer(Seen request, int n);
    }

    private final Clock clock;
    private final Undertow undertow;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, Queue<Seen>> seen = new ConcurrentHashMap<>();

    ScriptedOrigin(Clock clock) {
        this.clock = clock;
        this.undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, false)
                .setHandler(this::handle)
                .build();
        undertow.start();
    }

    private void handle(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString(), List.copyOf(values));
        }
        Seen request =
                new Seen(exchange.getRequestMethod().toString(), path, exchange.getQueryString(), Map.copyOf(headers));
        seen.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(request);
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Script script = scripts.getOrDefault(path, (r, i) -> Reply.ok().header("Cache-Control", "max-age=60"));
        Reply reply = script.answer(request, n);
        if (reply.disconnect) {
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        exchange.setStatusCode(reply.status);
        boolean hasDate = false;
        for (String[] field : reply.headers) {
            exchange.getResponseHeaders().add(new HttpString(field[0]), field[1]);
            hasDate |= field[0].equalsIgnoreCase("Date");
        }
        if (reply.date && !hasDate) {
            exchange.getResponseHeaders().put(new HttpString("Date"), date(0));
        }
        if (reply.status == 304 || reply.status == 204) {
            exchange.endExchange();
            return;
        }
        if (reply.bytes != null) {
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(reply.bytes));
            return;
        }
        String body = reply.body != null ? reply.body : request.method() + " " + path + " #" + n;
        exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    /** Answers every request for {@code path} with the script's choice. */
    void on(String path, Script script) {
        scripts.put(path, script);
    }

    /** Answers every request for {@code path} with {@code reply}. */
    void always(String path, Reply reply) {
        on(path, (request, n) -> reply);
    }

    /** An IMF-fixdate {@code offsetSeconds} from the test clock's now. */
    String date(long offsetSeconds) {
        return HTTP_DATE.format(Instant.now(clock).plusSeconds(offsetSeconds));
    }

    int count(String path) {
        AtomicInteger count = counts.get(path);
        return count == null ? 0 : count.get();
    }

    /** The requests for {@code path}, in arrival order. */
    List<Seen> requests(String path) {
        Queue<Seen> queue = seen.get(path);
        return queue == null ? List.of() : List.copyOf(queue);
    }

    /** The latest request for {@code path}. */
    Seen last(String path) {
        List<Seen> all = requests(path);
        if (all.isEmpty()) {
            throw new AssertionError("no request for " + path + " reached the origin");
        }
        return all.get(all.size() - 1);
    }

    URI uri() {
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
