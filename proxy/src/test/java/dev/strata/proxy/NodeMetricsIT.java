package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.config.CacheConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's meters as Prometheus scrapes them from its admin listener, after real traffic through an
 * edge in front of a shield in front of an origin, both following a purge API: what the client saw
 * (each X-Cache, status and body) is what the counters say, in the text exposition and in the
 * node's own registry, and every node has its own registry.
 */
class NodeMetricsIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final TestOrigin origin = new TestOrigin();

    /** What the client saw, by status tag (the X-Cache value in lower case, or error). */
    private final Map<String, Integer> requestsSeen = new HashMap<>();

    private final Map<String, Long> bytesSeen = new HashMap<>();

    @SuppressWarnings("NullAway.Init")
    private TestPurgeApi api;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode shield;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode edge;

    @BeforeEach
    void start() throws Exception {
        api = nodes.track(TestPurgeApi.start(dir.resolve("purge-log"), origin.uri()));
        shield = nodes.startWithAdmin(
                "shield",
                "shield-1",
                dir.resolve("shield"),
                Router.forShield(Nodes.withSites(List.of(origin.uri()))),
                List.of(api.uri()));
        edge = nodes.startWithAdmin(
                "edge",
                "ams",
                dir.resolve("edge"),
                Router.forEdge(Nodes.withShields(List.of(shield.uri()))),
                List.of(api.uri()));
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    /** Sends a GET through the edge and notes what the client saw. */
    private HttpResponse<byte[]> get(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(edge.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        String status = response.headers()
                .firstValue("X-Cache")
                .map(value -> value.toLowerCase(Locale.ROOT))
                .orElse("error");
        requestsSeen.merge(status, 1, Integer::sum);
        bytesSeen.merge(status, (long) response.body().length, Long::sum);
        return response;
    }

    private HttpResponse<String> admin(ProxyNode node, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(node.adminUri().orElseThrow().resolve(path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape(ProxyNode node) throws Exception {
        HttpResponse<String> response = admin(node, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(response.body());
    }

    /** MISS, HIT, an origin's 404 (stored: MISS), a refused request, and a purge everyone applied. */
    private long traffic() throws Exception {
        origin.status("/missing", 404);
        assertThat(get("/a.css").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get("/a.css").headers().firstValue("X-Cache")).hasValue("HIT");
        HttpResponse<byte[]> missing = get("/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("X-Cache")).hasValue("MISS");
        HttpResponse<byte[]> refused = get("/" + "x".repeat(9000));
        assertThat(refused.statusCode()).isEqualTo(414);
        long seq = api.post("{\"tags\":[\"catalog\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.purgeLogSeq() >= seq && shield.purgeLogSeq() >= seq);
        Nodes.awaitRecorded(edge, 4);
        Nodes.awaitRecorded(shield, "miss", 2);
        return seq;
    }

    @Test
    void requestCountsBytesAndLatencyMatchWhatTheClientSaw() throws Exception {
        traffic();
        assertThat(requestsSeen).isEqualTo(Map.of("miss", 2, "hit", 1, "error", 1));

        PrometheusText metrics = scrape(edge);
        MeterRegistry registry = edge.metrics().registry();
        for (String status : List.of("hit", "miss", "stale", "revalidated", "pass", "error")) {
            int seen = requestsSeen.getOrDefault(status, 0);
            assertThat(metrics.sum("strata_requests_seconds_count", "status", status))
                    .as("requests %s", status)
                    .isEqualTo(seen);
            assertThat(metrics.sum("strata_requests_seconds_bucket", "status", status, "le", "+Inf"))
                    .as("histogram %s", status)
                    .isEqualTo(seen);
            assertThat(metrics.sum("strata_response_bytes_total", "status", status))
                    .as("bytes %s", status)
                    .isEqualTo((double) bytesSeen.getOrDefault(status, 0L));
            assertThat(registry.find("strata.requests").tag("status", status).timers().stream()
                            .mapToLong(Timer::count)
                            .sum())
                    .as("registry %s", status)
                    .isEqualTo(seen);
        }
        assertThat(metrics.value("strata_requests_seconds_count", "site", "default", "status", "hit"))
                .as("an edge with shields routes every host to the default site")
                .isEqualTo(1);
        assertThat(metrics.value("strata_requests_seconds_count", "site", "none", "status", "error"))
                .as("refused before routing")
                .isEqualTo(1);
        assertThat(metrics.value("strata_requests_seconds_bucket", "site", "default", "status", "hit", "le", "30.0"))
                .isEqualTo(1);
        assertThat(metrics.sum("strata_requests_seconds_sum", "status", "miss")).isPositive();
        assertThat(metrics.sum("strata_responses_total", "code", "2xx")).isEqualTo(2);
        assertThat(metrics.sum("strata_responses_total", "code", "4xx")).isEqualTo(2);
        assertThat(metrics.value("strata_admission_rejections_total", "reason", "uri-too-long"))
                .isEqualTo(1);
        assertThat(metrics.value("strata_admission_rejections_total", "reason", "header-size"))
                .isZero();
        assertThat(metrics.value("strata_requests_seconds_count", "site", "default", "status", "hit", "node", "ams"))
                .as("tagged with the node")
                .isEqualTo(1);
        assertThat(metrics.find("strata_requests_seconds_count", "role", "edge"))
                .isNotEmpty();
    }

    @Test
    void eachNodeCountsOnlyItsOwnRequests() throws Exception {
        traffic();

        PrometheusText shieldMetrics = scrape(shield);
        assertThat(shieldMetrics.sum("strata_requests_seconds_count", "status", "miss"))
                .as("the edge's two misses were the shield's")
                .isEqualTo(2);
        assertThat(shieldMetrics.sum("strata_requests_seconds_count", "status", "hit"))
                .as("the edge answered its hit alone")
                .isZero();
        assertThat(shieldMetrics.find("strata_requests_seconds_count", "node", "ams"))
                .isEmpty();
        assertThat(shield.metrics().registry()).isNotSameAs(edge.metrics().registry());
    }

    @Test
    void cacheUpstreamPurgeAndJvmMetersDescribeTheNode() throws Exception {
        long seq = traffic();
        String shieldHost = "127.0.0.1:" + shield.port();

        PrometheusText metrics = scrape(edge);
        assertThat(metrics.value("strata_cache_lookups_total", "tier", "memory", "status", "hit"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics.value("strata_cache_lookups_total", "tier", "disk", "status", "miss"))
                .as("each miss looked on disk")
                .isGreaterThanOrEqualTo(2);
        assertThat(metrics.value("strata_cache_entries", "tier", "memory")).isGreaterThanOrEqualTo(2);
        CacheConfig cache = CacheConfig.defaults(dir);
        assertThat(metrics.value("strata_cache_capacity_bytes", "tier", "memory"))
                .isEqualTo((double) cache.memory().bytes());
        assertThat(metrics.value("strata_cache_capacity_bytes", "tier", "disk"))
                .isEqualTo((double) cache.disk().bytes());
        assertThat(metrics.value("strata_cache_size_bytes", "tier", "memory")).isPositive();
        assertThat(metrics.value("strata_cache_size_bytes", "tier", "disk"))
                .as("in RocksDB's write buffer until flushed")
                .isPositive();
        assertThat(metrics.value("strata_cache_evictions_total", "tier", "memory"))
                .isZero();
        assertThat(metrics.value("strata_disk_available")).isEqualTo(1);
        assertThat(metrics.value("strata_disk_errors_total")).isZero();
        assertThat(metrics.value("strata_disk_written_bytes_total")).isPositive();

        assertThat(metrics.value("strata_upstream_health", "host", shieldHost, "state", "up"))
                .isEqualTo(1);
        assertThat(metrics.value("strata_upstream_health", "host", shieldHost, "state", "down"))
                .isZero();
        assertThat(metrics.value("strata_upstream_requests_seconds_count", "pool", "shields", "host", shieldHost))
                .as("one fill per miss")
                .isEqualTo(2);
        assertThat(metrics.value("strata_upstream_errors_total", "host", shieldHost))
                .isZero();
        assertThat(metrics.value("strata_upstream_ejections_total", "host", shieldHost))
                .isZero();
        assertThat(metrics.value("strata_upstream_latency_seconds", "host", shieldHost))
                .isPositive();

        assertThat(metrics.value("strata_purge_apply_seconds_count", "kind", "tags"))
                .isEqualTo(1);
        assertThat(metrics.value("strata_purge_apply_seconds_count", "kind", "urls"))
                .isZero();
        assertThat(metrics.value("strata_purge_applied_seq")).isEqualTo((double) seq);
        assertThat(metrics.value("strata_purge_lag")).isZero();

        assertThat(metrics.value("strata_collapse_collapsed_total")).isZero();
        assertThat(metrics.value("strata_collapse_in_flight")).isZero();
        assertThat(metrics.value("strata_node_ready")).isEqualTo(1);
        assertThat(metrics.value("strata_node_info", "version", BuildInfo.VERSION))
                .isEqualTo(1);
        assertThat(BuildInfo.VERSION).as("from build.properties").matches("\\d+\\.\\d+\\.\\d+.*");

        assertThat(metrics.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(metrics.names())
                .contains(
                        "jvm_threads_live_threads",
                        "jvm_gc_memory_allocated_bytes_total",
                        "jvm_classes_loaded_classes",
                        "system_cpu_count",
                        "process_uptime_seconds");
    }

    @Test
    void metricsAnswerGetOnly() throws Exception {
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(edge.adminUri().orElseThrow().resolve("/metrics"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).contains("POST");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        traffic();
        Set<String> exported = Set.copyOf(scrape(edge).names());

        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(docs().resolve("grafana/strata.json")));
        Set<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b(?:strata|jvm|process|system)_[a-z0-9_]+");
        List<JsonNode> queries = new ArrayList<>(dashboard.findValues("expr"));
        queries.addAll(dashboard.findValues("definition")); // the node and role variables
        for (JsonNode expr : queries) {
            Matcher names = metric.matcher(expr.asText());
            while (names.find()) {
                queried.add(names.group());
            }
        }
        assertThat(queried).as("metric names in the dashboard's PromQL").hasSizeGreaterThan(10);
        assertThat(exported).containsAll(queried);
    }

    @Test
    void everyStrataMeterIsDocumented() throws Exception {
        traffic();
        String reference = Files.readString(docs().resolve("observability.md"), StandardCharsets.UTF_8);
        Set<String> meters = new TreeSet<>();
        edge.metrics()
                .registry()
                .getMeters()
                .forEach(meter -> meters.add(meter.getId().getName()));
        shield.metrics()
                .registry()
                .getMeters()
                .forEach(meter -> meters.add(meter.getId().getName()));
        List<String> strata =
                meters.stream().filter(name -> name.startsWith("strata.")).toList();
        assertThat(strata).hasSizeGreaterThan(20);
        for (String name : strata) {
            assertThat(reference).as("docs/observability.md names %s", name).contains("`" + name + "`");
        }
    }

    /** The repository's docs directory (tests run in the module's directory). */
    static Path docs() {
        Path docs = Path.of("..", "docs").toAbsolutePath().normalize();
        assertThat(docs.resolve("observability.md")).exists();
        return docs;
    }
}
