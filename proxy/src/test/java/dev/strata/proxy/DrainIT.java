package dev.strata.proxy;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.config.CacheConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.UpstreamConfig;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopping node drains: the listening socket closes at once, {@code /readyz} says so, requests in
 * flight finish (up to the drain timeout, then their connections close), and RocksDB is closed so
 * that the next start serves what was stored.
 */
class DrainIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final NamedOrigin origin = new NamedOrigin("A");

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private ProxyNode edge(Duration drainTimeout) {
        return nodes.track(ProxyNode.start(new ProxyNode.Spec(
                        "edge",
                        "ams",
                        ListenAddress.of("127.0.0.1", 0),
                        CacheConfig.defaults(dir.resolve("edge")),
                        LimitsConfig.defaults(),
                        UpstreamConfig.defaults(),
                        Router.forEdge(Nodes.withSites(List.of(origin.uri()))),
                        nodes.clock)
                .withAdmin(ListenAddress.of("127.0.0.1", 0))
                .withDrainTimeout(drainTimeout)));
    }

    private CompletableFuture<HttpResponse<String>> getAsync(ProxyNode node, String path) {
        return http.sendAsync(
                HttpRequest.newBuilder(node.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> readyz(ProxyNode node) throws Exception {
        return http.send(
                HttpRequest.newBuilder(node.adminUri().orElseThrow().resolve("/readyz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDrainingNodeRefusesNewConnectionsLetsRequestsInFlightFinishAndClosesItsCache() throws Exception {
        ProxyNode edge = edge(Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> inFlight = getAsync(edge, "/held.css");
        await().atMost(PATIENCE).until(() -> origin.held() == 1);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> nodes.stop(edge));

        await().atMost(PATIENCE).until(() -> readyz(edge).statusCode() == 503);
        assertThat(readyz(edge).body()).startsWith("not ready\nnode: draining\n");
        await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(
                        () -> new Socket(InetAddress.getLoopbackAddress(), edge.port()).close())
                .isInstanceOf(ConnectException.class));
        assertThat(stopped).isNotDone();
        origin.release();
        HttpResponse<String> finished = inFlight.get(10, SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("A /held.css");
        stopped.get(30, SECONDS);
        assertThat(edge.cache().isOpen()).isFalse();

        ProxyNode again = edge(Duration.ofSeconds(30));
        HttpResponse<String> fromDisk = getAsync(again, "/held.css").get(10, SECONDS);
        assertThat(fromDisk.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(fromDisk.body()).isEqualTo("A /held.css");
        assertThat(origin.requests()).isEqualTo(1);
    }

    @Test
    void aRequestStillInFlightAtTheDrainTimeoutIsCutAndTheNodeStopsOnTime() throws Exception {
        ProxyNode edge = edge(Duration.ofMillis(500));
        CompletableFuture<HttpResponse<String>> inFlight = getAsync(edge, "/held.css");
        await().atMost(PATIENCE).until(() -> origin.held() == 1);

        long started = System.nanoTime();
        nodes.stop(edge);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofMillis(500), Duration.ofSeconds(15));
        assertThat(inFlight).failsWithin(Duration.ofSeconds(10));
        assertThat(edge.cache().isOpen()).isFalse();
    }
}
