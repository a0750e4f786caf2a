package dev.strata.proxy;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.CacheConfig;
import dev.strata.config.CollapseConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.StrataConfig;
import dev.strata.config.UpstreamConfig;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request collapsing (issue #4): concurrent misses for one URL cost the origin one fetch, on one
 * node and across edges and shields; uncacheable answers are not serialised.
 */
class CollapsingIT {
    private static final byte[] BODY = new byte[64 * 1024];

    static {
        new Random(7).nextBytes(BODY);
    }

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final Nodes nodes = new Nodes();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, AtomicInteger> originRequests = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /**
     * The origin: {@code /held*} waits (off its I/O thread) until the test releases it, {@code
     * /private*} answers {@code private}; every answer is {@link #BODY}.
     */
    private final Undertow origin = Undertow.builder()
            .addHttpListener(0, "127.0.0.1")
            .setHandler(exchange -> {
                String path = exchange.getRequestPath();
                originRequests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                if (path.startsWith("/slow")) { // five seconds, on the I/O thread's timer
                    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread()
                            .executeAfter(
                                    () -> {
                                        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=600");
                                        exchange.getResponseSender().send(ByteBuffer.wrap(BODY));
                                    },
                                    5,
                                    SECONDS));
                    return;
                }
                exchange.dispatch(worker -> {
                    if (path.startsWith("/held")) {
                        release.await(60, SECONDS);
                    }
                    worker.getResponseHeaders()
                            .put(Headers.CACHE_CONTROL, path.startsWith("/private") ? "private" : "max-age=600");
                    worker.getResponseSender().send(ByteBuffer.wrap(BODY));
                });
            })
            .build();

    @BeforeEach
    void startOrigin() {
        origin.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        nodes.close();
        origin.stop();
    }

    private URI originUri() {
        int port = ((InetSocketAddress) origin.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    private int originCount(String path) {
        AtomicInteger count = originRequests.get(path);
        return count == null ? 0 : count.get();
    }

    private List<CompletableFuture<HttpResponse<byte[]>>> fire(List<URI> bases, String path, int count) {
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            URI uri = bases.get(i % bases.size()).resolve(path);
            responses.add(http.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        return responses;
    }

    private static List<HttpResponse<byte[]>> all(List<CompletableFuture<HttpResponse<byte[]>>> futures)
            throws Exception {
        List<HttpResponse<byte[]>> responses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<byte[]>> future : futures) {
            responses.add(future.get(120, SECONDS));
        }
        return responses;
    }

    private static long collapsed(List<ProxyNode> nodes) {
        return nodes.stream()
                .mapToLong(node -> node.collapser().collapsedCount())
                .sum();
    }

    @Test
    void concurrentMissesOnOneEdgeWaitForOneFetch() throws Exception {
        ProxyNode edge = nodes.edge(dir.resolve("edge"), originUri());

        List<CompletableFuture<HttpResponse<byte[]>>> futures = fire(List.of(edge.uri()), "/held/one.bin", 50);
        await().atMost(Duration.ofSeconds(60)).until(() -> edge.collapser().collapsedCount() == 49);
        release.countDown();
        List<HttpResponse<byte[]>> responses = all(futures);

        assertThat(originCount("/held/one.bin")).isEqualTo(1);
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(BODY);
        });
        assertThat(responses.stream()
                        .filter(r -> r.headers()
                                .firstValue("Cache-Status")
                                .orElse("")
                                .contains("collapsed"))
                        .count())
                .isEqualTo(49);
        assertThat(responses.stream()
                        .filter(r ->
                                r.headers().firstValue("X-Cache").orElse("").equals("MISS"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void behindASlowOriginEveryWaiterIsAnsweredByTheOneFetch() throws Exception {
        ProxyNode edge = nodes.edge(dir.resolve("edge"), originUri());
        long start = System.nanoTime();

        List<HttpResponse<byte[]>> responses = all(fire(List.of(edge.uri()), "/slow/report.bin", 20));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(originCount("/slow/report.bin")).isEqualTo(1);
        assertThat(edge.collapser().collapsedCount())
                .as("19 waited for the one fetch")
                .isEqualTo(19);
        assertThat(responses).allSatisfy(response -> assertThat(response.body()).isEqualTo(BODY));
        // One 5 s fetch, not 20 in turn (100 s): a bound far from both.
        assertThat(elapsed).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void aThousandClientsOverThreeEdgesAndTwoShieldsCostTheOriginOneFetch() throws Exception {
        List<ProxyNode> shields = List.of(
                nodes.start(
                        "shield",
                        "shield-1",
                        dir.resolve("s1"),
                        Router.forShield(Nodes.withSites(List.of(originUri())))),
                nodes.start(
                        "shield",
                        "shield-2",
                        dir.resolve("s2"),
                        Router.forShield(Nodes.withSites(List.of(originUri())))));
        StrataConfig toShields =
                Nodes.withShields(shields.stream().map(ProxyNode::uri).toList());
        List<ProxyNode> edges = List.of(
                nodes.start("edge", "ams", dir.resolve("e1"), Router.forEdge(toShields)),
                nodes.start("edge", "nyc", dir.resolve("e2"), Router.forEdge(toShields)),
                nodes.start("edge", "sin", dir.resolve("e3"), Router.forEdge(toShields)));

        List<CompletableFuture<HttpResponse<byte[]>>> futures =
                fire(edges.stream().map(ProxyNode::uri).toList(), "/held/cold.bin", 1000);
        // Every client is waiting: one leader per edge, and the owning shield holds one fetch for
        // the three edges' requests.
        await().atMost(Duration.ofSeconds(90))
                .until(() -> collapsed(edges) == 997 && collapsed(shields) == 2 && originCount("/held/cold.bin") == 1);
        release.countDown();
        List<HttpResponse<byte[]>> responses = all(futures);

        assertThat(originCount("/held/cold.bin")).isEqualTo(1);
        assertThat(responses).hasSize(1000).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(BODY);
        });
    }

    @Test
    void anUncacheableAnswerReleasesTheWaitersAndStopsCollapsingItsUrl() throws Exception {
        ProxyNode edge = nodes.edge(dir.resolve("edge"), originUri());

        List<HttpResponse<byte[]>> first = all(fire(List.of(edge.uri()), "/private/account", 20));
        long collapsedBefore = edge.collapser().collapsedCount();
        List<HttpResponse<byte[]>> later = all(fire(List.of(edge.uri()), "/private/account", 20));

        assertThat(first).allSatisfy(response -> assertThat(response.body()).isEqualTo(BODY));
        assertThat(later).allSatisfy(response -> assertThat(response.body()).isEqualTo(BODY));
        assertThat(originCount("/private/account"))
                .as("nothing stored: every client fetched")
                .isEqualTo(40);
        assertThat(edge.collapser().collapsedCount())
                .as("hit-for-pass: no more waiting")
                .isEqualTo(collapsedBefore);
        assertThat(edge.collapser().passCount())
                .as("all but the first fetch, waiters included")
                .isEqualTo(39);
    }

    @Test
    void aWaiterThatWaitedTooLongFetchesForItself() throws Exception {
        CacheConfig defaults = CacheConfig.defaults(dir.resolve("edge"));
        CacheConfig impatient = new CacheConfig(
                defaults.dir(),
                defaults.memory(),
                defaults.disk(),
                defaults.maxObjectSize(),
                defaults.maxMemoryObjectSize(),
                new CollapseConfig(true, Duration.ofMillis(200), Duration.ofMinutes(2)));
        ProxyNode edge = nodes.track(ProxyNode.start(new ProxyNode.Spec(
                "edge",
                "impatient",
                ListenAddress.of("127.0.0.1", 0),
                impatient,
                LimitsConfig.defaults(),
                UpstreamConfig.defaults(),
                Router.forEdge(Nodes.withSites(List.of(originUri()))),
                nodes.clock)));

        CompletableFuture<HttpResponse<byte[]>> leader =
                fire(List.of(edge.uri()), "/held/slow.bin", 1).get(0);
        await().atMost(Duration.ofSeconds(60)).until(() -> originCount("/held/slow.bin") == 1);
        CompletableFuture<HttpResponse<byte[]>> waiter =
                fire(List.of(edge.uri()), "/held/slow.bin", 1).get(0);
        // The waiter gives up on the held leader and asks the origin itself.
        await().atMost(Duration.ofSeconds(60)).until(() -> originCount("/held/slow.bin") == 2);
        release.countDown();

        assertThat(leader.get(60, SECONDS).body()).isEqualTo(BODY);
        assertThat(waiter.get(60, SECONDS).body()).isEqualTo(BODY);
        assertThat(edge.collapser().collapsedCount()).isEqualTo(1);
    }
}
