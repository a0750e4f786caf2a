package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.proxy.ProxyNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo topology in-process on ephemeral ports: origin, two shields, three edges, purge API. */
class DemoIT {
    private static final List<String> ASSETS = List.of(
            "/index.html",
            "/css/site.css",
            "/js/app.js",
            "/data/catalog.json",
            "/img/logo.svg",
            "/img/photo.png",
            "/img/photo.webp",
            "/fonts/inter.woff2",
            "/downloads/big.bin");

    @SuppressWarnings("NullAway.Init")
    private static Demo demo;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        demo = Demo.start(0, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void printsOneLinePerNodeAsRoleNameUrl() {
        String banner = demo.banner();

        List<String> nodeLines = banner.lines()
                .filter(line -> line.matches("(origin|shield|edge|purge-api) \\S+ http://127\\.0\\.0\\.1:\\d+"))
                .toList();
        assertThat(nodeLines)
                .hasSize(7)
                .anyMatch(line -> line.startsWith("edge ams "))
                .anyMatch(line -> line.startsWith("edge nyc "))
                .anyMatch(line -> line.startsWith("edge sin "))
                .anyMatch(line -> line.startsWith("purge-api purge-api "))
                .anyMatch(line -> line.startsWith("origin origin "));
        assertThat(banner).contains("curl -i " + demo.edges().get(0).uri() + "/css/site.css");
        List<String> lines = banner.lines().toList();
        int tokenLine = lines.indexOf("purge-token " + demo.purgeToken());
        assertThat(tokenLine).as("after the node and admin lines").isEqualTo(12);
        assertThat(demo.purgeToken()).matches("[A-Za-z0-9_-]{32}");
    }

    @Test
    void printsEveryEdgeAndShieldAdminListenerWhichAnswersHealthAndReadiness() throws Exception {
        List<String> adminLines =
                demo.banner().lines().filter(line -> line.startsWith("admin ")).toList();
        assertThat(adminLines)
                .extracting(line -> line.split(" ")[1])
                .containsExactly("shield-1", "shield-2", "ams", "nyc", "sin");
        for (String line : adminLines) {
            URI admin = URI.create(line.split(" ")[2]);
            assertThat(admin.getHost()).isEqualTo("127.0.0.1");
            HttpResponse<byte[]> health = get(admin.resolve("/healthz"));
            assertThat(health.statusCode()).as(line).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<byte[]> ready = get(admin.resolve("/readyz"));
                assertThat(new String(ready.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .as(line)
                        .startsWith("ready\n")
                        .contains("purge log: caught up");
                assertThat(ready.statusCode()).isEqualTo(200);
            });
            assertThat(get(admin.resolve("/nothing")).statusCode()).isEqualTo(404);
        }
    }

    /** The sum of {@code strata_requests_seconds_count} samples with {@code status} in a node's {@code /metrics}. */
    private double requests(ProxyNode node, String status) throws Exception {
        HttpResponse<byte[]> metrics = get(node.adminUri().orElseThrow().resolve("/metrics"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        Pattern sample = Pattern.compile("strata_requests_seconds_count\\{[^}]*status=\"" + status + "\"[^}]*} (\\S+)");
        double sum = 0;
        for (String line :
                new String(metrics.body(), StandardCharsets.UTF_8).lines().toList()) {
            Matcher matcher = sample.matcher(line);
            if (matcher.matches()) {
                sum += Double.parseDouble(matcher.group(1));
            }
        }
        return sum;
    }

    /** The shields' MISS requests, summed over them all. */
    private double shieldMisses() throws Exception {
        double sum = 0;
        for (ProxyNode shield : demo.shields()) {
            sum += requests(shield, "miss");
        }
        return sum;
    }

    @Test
    void everyEdgeAndShieldServesItsOwnMetricsOnItsAdminListener() throws Exception {
        ProxyNode nyc = demo.edges().get(1);
        double hitsBefore = requests(nyc, "hit");
        double missesBefore = requests(nyc, "miss");
        double shieldMissesBefore = shieldMisses();

        URI asset = nyc.uri().resolve("/css/site.css?t=metrics");
        assertThat(get(asset).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get(asset).headers().firstValue("X-Cache")).hasValue("HIT");

        // A node records a request when its exchange completes, just after the last byte left, so
        // a scrape right after the response may come first.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(requests(nyc, "hit") - hitsBefore).isEqualTo(1);
            assertThat(requests(nyc, "miss") - missesBefore).isEqualTo(1);
            assertThat(shieldMisses() - shieldMissesBefore)
                    .as("the fill went through one shield")
                    .isEqualTo(1);
        });
        String text =
                new String(get(nyc.adminUri().orElseThrow().resolve("/metrics")).body(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains("node=\"nyc\"")
                .doesNotContain("node=\"ams\"")
                .contains("strata_upstream_health{")
                .contains("jvm_memory_used_bytes{");
        HttpResponse<byte[]> status = get(nyc.adminUri().orElseThrow().resolve("/status"));
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    }

    @Test
    void aPurgeThroughTheApiReachesEveryEdgeAndShieldAndNamesNothingElse() throws Exception {
        List<String> paths = List.of("/css/site.css?t=purge", "/js/app.js?t=purge", "/img/logo.svg?t=purge");
        for (ProxyNode edge : demo.edges()) {
            for (String path : paths) {
                get(edge.uri().resolve(path));
                assertThat(get(edge.uri().resolve(path)).headers().firstValue("X-Cache"))
                        .hasValue("HIT");
            }
        }
        HttpResponse<String> unauthorized = http.send(
                HttpRequest.newBuilder(demo.purgeApi().resolve("/v1/purge"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"all\":true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unauthorized.statusCode()).isEqualTo(401);

        long seq = purge("{\"urls\":[\"http://127.0.0.1/css/site.css?t=purge\"]}");
        long seq2 = purge("{\"prefixes\":[\"127.0.0.1/img\"],\"soft\":true}");
        List<ProxyNode> all = new java.util.ArrayList<>(demo.edges());
        all.addAll(demo.shields());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> all.stream().allMatch(node -> node.purgeLogSeq() >= Math.max(seq, seq2)));

        for (ProxyNode edge : demo.edges()) {
            assertThat(get(edge.uri().resolve(paths.get(0))).headers().firstValue("X-Cache"))
                    .as(edge.name())
                    .hasValue("MISS");
            assertThat(get(edge.uri().resolve(paths.get(1))).headers().firstValue("X-Cache"))
                    .as(edge.name())
                    .hasValue("HIT");
            assertThat(get(edge.uri().resolve(paths.get(2))).headers().firstValue("X-Cache"))
                    .as(edge.name() + " soft-purged: revalidated")
                    .hasValue("REVALIDATED");
        }
    }

    private long purge(String json) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(demo.purgeApi().resolve("/v1/purge"))
                        .header("Authorization", "Bearer " + demo.purgeToken())
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        java.util.regex.Matcher seq =
                java.util.regex.Pattern.compile("\"seq\":(\\d+)").matcher(response.body());
        assertThat(seq.find()).isTrue();
        return Long.parseLong(seq.group(1));
    }

    @Test
    void everyEdgeAnswersMissThenHitWithTheOriginsExactBytesAndTheOriginIsAskedOnce() throws Exception {
        Path site = demo.origin().dir();
        long originBefore = demo.origin().requestCount();

        for (ProxyNode edge : demo.edges()) {
            for (String asset : ASSETS) {
                byte[] expected = Files.readAllBytes(site.resolve(asset.substring(1)));

                HttpResponse<byte[]> first = get(edge.uri().resolve(asset));
                HttpResponse<byte[]> second = get(edge.uri().resolve(asset));

                assertThat(first.statusCode()).as(edge.name() + asset).isEqualTo(200);
                assertThat(first.headers().firstValue("X-Cache"))
                        .as(edge.name() + asset)
                        .hasValue("MISS");
                assertThat(second.headers().firstValue("X-Cache"))
                        .as(edge.name() + asset)
                        .hasValue("HIT");
                assertThat(second.headers().firstValue("Age"))
                        .as(edge.name() + asset)
                        .isPresent();
                assertThat(second.headers().firstValue("X-Served-By")).hasValue(edge.name());
                assertThat(first.body()).as(edge.name() + asset).isEqualTo(expected);
                assertThat(second.body()).as(edge.name() + asset).isEqualTo(expected);
            }
        }
        // One shield owns each object for every PoP, so each asset cost the origin one request.
        assertThat(demo.origin().requestCount() - originBefore).isEqualTo(ASSETS.size());
    }

    @Test
    void rootServesTheSampleSitesIndex() throws Exception {
        HttpResponse<byte[]> root = get(demo.edges().get(2).uri().resolve("/"));

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(root.body()).isEqualTo(Files.readAllBytes(demo.origin().dir().resolve("index.html")));
    }

    @Test
    void everyEdgeAndShieldLogsToItsOwnFileAndARequestIdNamesTheRequestOnBothTiers() throws Exception {
        List<ProxyNode> all = new java.util.ArrayList<>(demo.edges());
        all.addAll(demo.shields());
        List<Path> logs =
                all.stream().map(node -> node.accessLog().orElseThrow().path()).toList();
        assertThat(logs).doesNotHaveDuplicates().allSatisfy(log -> assertThat(demo.banner())
                .contains("Access logs: " + log.getParent()));

        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(demo.edges().get(0).uri().resolve("/js/app.js?t=logged"))
                        .header("X-Request-Id", "demo-request-1")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("demo-request-1");
        Path amsLog = demo.edges().get(0).accessLog().orElseThrow().path();
        assertThat(amsLog.getFileName()).hasToString("edge-ams-access.log");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(amsLog)
                        && Files.readString(amsLog).contains("\"GET /js/app.js?t=logged HTTP/1.1\" 200 "));
        await().atMost(Duration.ofSeconds(10)).until(() -> demo.shields().stream()
                .map(shield -> shield.accessLog().orElseThrow().path())
                .filter(Files::exists)
                .flatMap(log -> read(log).lines())
                .anyMatch(line -> line.contains(" MISS ") && line.contains(" demo-request-1 ")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void purgeApiAnswersItsHealthCheck() throws Exception {
        URI purge = demo.nodes().stream()
                .filter(node -> node.role().equals("purge-api"))
                .findFirst()
                .orElseThrow()
                .uri();

        HttpResponse<byte[]> health = get(purge.resolve("/healthz"));

        assertThat(health.statusCode()).isEqualTo(200);
    }
}
