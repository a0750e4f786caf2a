package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.EdgeConfig;
import dev.strata.config.HealthCheckConfig;
import dev.strata.config.OutlierDetectionConfig;
import dev.strata.config.StrataConfig;
import dev.strata.upstream.HealthState;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real shields behind an edge: stopping one while GETs run costs clients nothing, the edge's
 * health checks see it go down, and up again once it restarts on the same port.
 */
class ShieldFailoverIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final HealthCheckConfig CHECKS = new HealthCheckConfig(
            true, HealthCheckConfig.NODE_HEALTH_PATH, Duration.ofMillis(100), Duration.ofMillis(500), 2, 2);

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Nodes nodes = new Nodes();

    @SuppressWarnings("NullAway.Init")
    private TestOrigin origin;

    @BeforeEach
    void startOrigin() {
        origin = new TestOrigin();
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private ProxyNode shield(String name, int port) {
        return nodes.start(
                "shield",
                name,
                dir.resolve(name + "-" + System.nanoTime()),
                Router.forShield(Nodes.withSites(List.of(origin.uri()))),
                dev.strata.config.LimitsConfig.defaults(),
                port);
    }

    private ProxyNode edge(List<URI> shields) {
        return nodes.start("edge", "ams", dir.resolve("edge"), Router.forEdge(config(shields)));
    }

    private StrataConfig config(List<URI> shields) {
        StrataConfig d = StrataConfig.defaults();
        EdgeConfig edge = new EdgeConfig(
                d.edge().listen(),
                shields,
                EdgeConfig.DEFAULT_SHIELD_BALANCER,
                CHECKS,
                OutlierDetectionConfig.defaults(),
                Duration.ofSeconds(1),
                d.edge().cache(),
                d.edge().limits(),
                d.edge().upstream());
        return d.withEdge(edge);
    }

    private HttpResponse<String> admin(ProxyNode node, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(node.adminUri().orElseThrow().resolve(path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsTheShieldsHealthWhileLivenessStaysUp() throws Exception {
        ProxyNode shield = shield("shield-a", 0);
        int shieldPort = shield.port();
        StrataConfig config = config(List.of(shield.uri()));
        ProxyNode edge = nodes.track(ProxyNode.start(new ProxyNode.Spec(
                        "edge",
                        "ams",
                        dev.strata.config.ListenAddress.of("127.0.0.1", 0),
                        config.edge().cache().withDir(dir.resolve("edge-admin")),
                        config.edge().limits(),
                        config.edge().upstream(),
                        Router.forEdge(config),
                        nodes.clock)
                .withAdmin(dev.strata.config.ListenAddress.of("127.0.0.1", 0))));
        assertThat(edge.adminUri().orElseThrow().getPort()).isNotIn(0, edge.port());

        HttpResponse<String> ready = admin(edge, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\ncache: open\nupstream shields: 1 of 1 available\n");

        nodes.stop(shield);
        await().atMost(PATIENCE).until(() -> admin(edge, "/readyz").statusCode() == 503);
        assertThat(admin(edge, "/readyz").body()).startsWith("not ready\n").contains("0 of 1 available");
        assertThat(admin(edge, "/healthz").statusCode()).isEqualTo(200);

        shield("shield-a", shieldPort);
        await().atMost(PATIENCE).until(() -> admin(edge, "/readyz").statusCode() == 200);
    }

    @Test
    void nodeAnswersItsHealthPathItself() throws Exception {
        ProxyNode shield = shield("shield-a", 0);

        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(shield.uri().resolve(HealthCheckConfig.NODE_HEALTH_PATH))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        assertThat(origin.count(HealthCheckConfig.NODE_HEALTH_PATH)).isZero();
    }

    @Test
    void stoppingTheShieldThatOwnsKeysCostsNoClientErrorsAndHealthFollowsIt() throws Exception {
        ProxyNode first = shield("shield-a", 0);
        ProxyNode second = shield("shield-b", 0);
        int firstPort = first.port();
        ProxyNode edge = edge(List.of(first.uri(), second.uri()));
        UpstreamPool shields = edge.pools().get(0);
        Upstream firstHost = shields.upstreams().get(0);
        await().atMost(PATIENCE).until(() -> firstHost.checksFailed() == 0 && firstHost.isAvailable());

        int requests = 200;
        int threads = 4;
        CountDownLatch halfway = new CountDownLatch(requests / 4);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        int status;
                        try {
                            status = http.send(
                                            HttpRequest.newBuilder(edge.uri().resolve("/item/" + i))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode();
                        } catch (Exception e) {
                            status = -1;
                        }
                        statuses.merge(status, 1, Integer::sum);
                        halfway.countDown();
                    }
                    return null;
                }));
            }
            assertThat(halfway.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            nodes.stop(first); // the shield owning about half the keys goes away mid-stream
            for (Future<?> run : running) {
                run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(statuses).as("statuses the clients saw (-1: no answer)").isEqualTo(Map.of(200, requests));
        await().atMost(PATIENCE).until(() -> firstHost.health().status() == HealthState.Status.DOWN);
        assertThat(firstHost.health().reason()).startsWith("2 health checks failed: ");

        ProxyNode restarted = shield("shield-a", firstPort);
        assertThat(restarted.port()).isEqualTo(firstPort);
        await().atMost(PATIENCE).until(() -> firstHost.health().status() == HealthState.Status.UP);
        assertThat(firstHost.health().reason()).isEqualTo("2 health checks passed");
        for (int i = 0; i < 20; i++) {
            assertThat(http.send(
                                    HttpRequest.newBuilder(edge.uri().resolve("/after/" + i))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        }
    }
}
