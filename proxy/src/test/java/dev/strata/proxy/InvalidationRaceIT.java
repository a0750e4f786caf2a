package dev.strata.proxy;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.PurgeMarker;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9111 §4.4 against a fill in flight: a GET whose answer the origin produced before a POST
 * changed the resource is relayed to its client but not stored after the POST's invalidation, so
 * the next GET fetches the new state instead of a HIT on the old one.
 */
class InvalidationRaceIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final Nodes nodes = new Nodes();
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch firstGetArrived = new CountDownLatch(1);
    private final CountDownLatch releaseFirstGet = new CountDownLatch(1);
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger version = new AtomicInteger(1);

    /** GET answers the current version; the first one waits (off the I/O thread) until released. */
    private final Undertow origin = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(exchange -> {
                if (exchange.getRequestMethod().equals(Methods.POST)) {
                    version.incrementAndGet();
                    exchange.getResponseSender().send("posted");
                    return;
                }
                int n = gets.incrementAndGet();
                String body = "version " + version.get();
                exchange.dispatch(worker -> {
                    if (n == 1) {
                        firstGetArrived.countDown();
                        releaseFirstGet.await(30, SECONDS);
                    }
                    worker.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=600");
                    worker.getResponseSender().send(body, StandardCharsets.UTF_8);
                });
            })
            .build();

    @AfterEach
    void stop() throws Exception {
        releaseFirstGet.countDown();
        nodes.close();
        origin.stop();
    }

    private URI originUri() {
        int port = ((InetSocketAddress) origin.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    @Test
    void aFillAnsweredBeforeAPostIsNotStoredAfterIt() throws Exception {
        origin.start();
        ProxyNode edge = nodes.edge(dir.resolve("edge"), originUri());
        URI resource = edge.uri().resolve("/resource");

        CompletableFuture<HttpResponse<String>> slowGet =
                http.sendAsync(HttpRequest.newBuilder(resource).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(firstGetArrived.await(30, SECONDS)).isTrue();
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(resource)
                        .POST(HttpRequest.BodyPublishers.ofString("new"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        releaseFirstGet.countDown();
        HttpResponse<String> old = slowGet.get(30, SECONDS);
        HttpResponse<String> next =
                http.send(HttpRequest.newBuilder(resource).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(old.body()).isEqualTo("version 1");
        assertThat(old.headers().firstValue("Cache-Status").orElse("")).contains("stored=?0");
        assertThat(next.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(next.body()).isEqualTo("version 2");
        assertThat(gets.get()).isEqualTo(2);
    }

    @Test
    void aFillRequestedBeforeAPurgeIsNotStoredAfterIt() throws Exception {
        origin.start();
        ProxyNode edge = nodes.edge(dir.resolve("edge"), originUri());
        URI resource = edge.uri().resolve("/resource");

        CompletableFuture<HttpResponse<String>> slowGet =
                http.sendAsync(HttpRequest.newBuilder(resource).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(firstGetArrived.await(30, SECONDS)).isTrue();
        nodes.clock.advance(Duration.ofSeconds(1));
        edge.cache().purge(PurgeMarker.prefix("127.0.0.1", "/", nodes.clock.millis(), false));
        nodes.clock.advance(Duration.ofSeconds(1)); // the answer arrives after the purge
        releaseFirstGet.countDown();
        HttpResponse<String> old = slowGet.get(30, SECONDS);
        HttpResponse<String> next =
                http.send(HttpRequest.newBuilder(resource).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(old.body()).isEqualTo("version 1");
        assertThat(old.headers().firstValue("Cache-Status").orElse("")).contains("stored=?0");
        assertThat(next.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(gets.get()).isEqualTo(2);
    }
}
