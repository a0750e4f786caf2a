package dev.strata.proxy;

import io.undertow.Undertow;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin for tests: answers every path with a body naming the path and the request number,
 * with the response headers a test sets per path (and, where a test asks, the value of a request
 * header), and counts requests per path.
 */
final class TestOrigin implements AutoCloseable {
    private final Undertow undertow;
    private final Map<String, String[]> headers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, String[]> notModified = new ConcurrentHashMap<>();
    private final Map<String, String> echoes = new ConcurrentHashMap<>();

    TestOrigin() {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    String path = exchange.getRequestPath();
                    int n = counts.computeIfAbsent(path, p -> new AtomicInteger())
                            .incrementAndGet();
                    String[] notModifiedHeaders = notModified.get(path);
                    if (notModifiedHeaders != null
                            && exchange.getRequestHeaders().contains("If-None-Match")) {
                        exchange.setStatusCode(304);
                        for (int i = 0; i < notModifiedHeaders.length; i += 2) {
                            exchange.getResponseHeaders()
                                    .add(new HttpString(notModifiedHeaders[i]), notModifiedHeaders[i + 1]);
                        }
                        exchange.endExchange();
                        return;
                    }
                    exchange.setStatusCode(statuses.getOrDefault(path, 200));
                    String[] pairs = headers.getOrDefault(path, new String[] {"Cache-Control", "max-age=60"});
                    for (int i = 0; i < pairs.length; i += 2) {
                        exchange.getResponseHeaders().add(new HttpString(pairs[i]), pairs[i + 1]);
                    }
                    String forwardedHost = exchange.getRequestHeaders().getFirst("X-Forwarded-Host");
                    exchange.getResponseHeaders()
                            .put(new HttpString("X-Seen-Forwarded-Host"), forwardedHost == null ? "-" : forwardedHost);
                    exchange.getResponseHeaders()
                            .put(
                                    new HttpString("X-Seen-Host"),
                                    exchange.getRequestHeaders().getFirst("Host"));
                    String body = exchange.getRequestMethod() + " " + path + " #" + n;
                    String echoed = echoes.get(path);
                    if (echoed != null) {
                        HeaderValues values = exchange.getRequestHeaders().get(echoed);
                        body += " " + echoed + "=" + (values == null ? "-" : String.join(",", values));
                    }
                    exchange.getResponseSender().send(body, StandardCharsets.UTF_8);
                })
                .build();
        undertow.start();
    }

    /** Sets the response headers for {@code path}: alternating names and values. */
    void respond(String path, String... namesAndValues) {
        headers.put(path, namesAndValues);
    }

    /**
     * Appends the request's {@code requestField} to the bodies of {@code path}: {@code " NAME=VALUE"}
     * (values joined with commas), {@code " NAME=-"} when absent.
     */
    void echo(String path, String requestField) {
        echoes.put(path, requestField);
    }

    /** Answers a request for {@code path} with {@code If-None-Match} by 304 with these headers. */
    void notModified(String path, String... namesAndValues) {
        notModified.put(path, namesAndValues);
    }

    void status(String path, int status) {
        statuses.put(path, status);
    }

    int count(String path) {
        AtomicInteger count = counts.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests answered so far, every path together. */
    int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
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
