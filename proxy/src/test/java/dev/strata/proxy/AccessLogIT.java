package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.config.AccessLogConfig;
import dev.strata.config.ByteSize;
import dev.strata.proxy.ScriptedOrigin.Reply;
import dev.strata.proxy.accesslog.AccessLog;
import dev.strata.proxy.accesslog.CombinedLines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request ids, the access log and {@code Server-Timing} through real nodes: an edge in front of a
 * shield in front of an origin that records what it receives.
 */
class AccessLogIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String GENERATED = "[0-9a-f]{32}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();

    @SuppressWarnings("NullAway.Init")
    private ScriptedOrigin origin;

    @BeforeEach
    void startOrigin() {
        origin = new ScriptedOrigin(nodes.clock);
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private AccessLogConfig accessLog(String format) {
        return new AccessLogConfig(
                true, format, dir.resolve("logs").resolve("{role}-{name}-access.log"), ByteSize.ofMebibytes(1), 3);
    }

    private ProxyNode shield(UnaryOperator<ProxyNode.Spec> tweak) {
        return nodes.start(
                "shield",
                "shield-1",
                dir.resolve("shield"),
                Router.forShield(Nodes.withSites(List.of(origin.uri()))),
                tweak);
    }

    private ProxyNode edge(ProxyNode shield, UnaryOperator<ProxyNode.Spec> tweak) {
        return nodes.start(
                "edge", "ams", dir.resolve("edge"), Router.forEdge(Nodes.withShields(List.of(shield.uri()))), tweak);
    }

    private ProxyNode edge(ProxyNode shield) {
        return edge(shield, spec -> spec);
    }

    private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String requestId(HttpResponse<?> response) {
        assertThat(response.headers().allValues("X-Request-Id")).hasSize(1);
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    private static List<String> awaitLines(AccessLog log, int count) throws Exception {
        await().atMost(PATIENCE).until(() -> log.written() >= count);
        List<String> lines = Files.readAllLines(log.path(), StandardCharsets.US_ASCII);
        assertThat(lines).hasSize(count);
        return lines;
    }

    @Test
    void theClientsRequestIdIsTheOneTheOriginSaw() throws Exception {
        ProxyNode edge = edge(shield(spec -> spec));

        HttpResponse<String> miss = get(edge.uri(), "/a.css");
        HttpResponse<String> hit = get(edge.uri(), "/a.css");

        String id = requestId(miss);
        assertThat(id).matches(GENERATED);
        assertThat(origin.last("/a.css").all("X-Request-Id")).containsExactly(id);
        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(requestId(hit))
                .as("a hit has its own id, not the fill's")
                .matches(GENERATED)
                .isNotEqualTo(id);
        assertThat(origin.count("/a.css")).isEqualTo(1);
        assertThat(miss.headers().firstValue("Server-Timing"))
                .as("off by default")
                .isEmpty();
    }

    @Test
    void aValidIdFromTheClientIsKeptEverywhere() throws Exception {
        ProxyNode edge = edge(shield(spec -> spec));
        String id = "req-42_Ab.c:d+e/f=g@h" + "x".repeat(100);

        HttpResponse<String> response = get(edge.uri(), "/kept", "X-Request-Id", id);

        assertThat(requestId(response)).isEqualTo(id);
        assertThat(origin.last("/kept").all("X-Request-Id")).containsExactly(id);
    }

    @Test
    void anInvalidIdIsReplacedBeforeItGoesAnywhere() throws Exception {
        ProxyNode edge = edge(shield(spec -> spec));
        List<String> invalid = List.of("a".repeat(129), "two words", "quo\"te", "comma,separated", "semi;colon", "é");

        for (int i = 0; i < invalid.size(); i++) {
            HttpResponse<String> response = get(edge.uri(), "/invalid-" + i, "X-Request-Id", invalid.get(i));

            String id = requestId(response);
            assertThat(id).as(invalid.get(i)).matches(GENERATED);
            assertThat(origin.last("/invalid-" + i).all("X-Request-Id")).containsExactly(id);
        }
        HttpResponse<String> twice = get(edge.uri(), "/twice", "X-Request-Id", "one", "X-Request-Id", "two");
        assertThat(requestId(twice)).matches(GENERATED);
        assertThat(origin.last("/twice").all("X-Request-Id")).containsExactly(requestId(twice));
    }

    @Test
    void aBackgroundRevalidationCarriesTheIdOfTheRequestThatFoundTheEntryStale() throws Exception {
        origin.always("/swr", Reply.ok().header("Cache-Control", "max-age=1, stale-while-revalidate=60"));
        ProxyNode edge = edge(shield(spec -> spec));
        get(edge.uri(), "/swr");
        nodes.clock.advance(Duration.ofSeconds(2));

        HttpResponse<String> stale = get(edge.uri(), "/swr", "X-Request-Id", "swr-1");

        assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
        await().atMost(PATIENCE).until(() -> origin.count("/swr") == 2);
        // Edge and shield both revalidated in the background, each under the client's id.
        assertThat(origin.last("/swr").all("X-Request-Id")).containsExactly("swr-1");
    }

    @Test
    void everyAnswerCarriesItsId() throws Exception {
        origin.always("/etag", Reply.ok().header("Cache-Control", "max-age=60").header("ETag", "\"v1\""));
        origin.always("/gone", Reply.disconnect());
        ProxyNode edge = edge(shield(spec -> spec));
        get(edge.uri(), "/etag");

        HttpResponse<String> notModified = get(edge.uri(), "/etag", "If-None-Match", "\"v1\"", "X-Request-Id", "c-1");
        HttpResponse<String> head = http.send(
                HttpRequest.newBuilder(edge.uri().resolve("/etag"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .header("X-Request-Id", "c-2")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> tooLong = get(edge.uri(), "/" + "a".repeat(9000), "X-Request-Id", "c-3");
        HttpResponse<String> badGateway = get(edge.uri(), "/gone", "X-Request-Id", "c-4");

        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(requestId(notModified)).isEqualTo("c-1");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(requestId(head)).isEqualTo("c-2");
        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertThat(requestId(tooLong)).isEqualTo("c-3");
        assertThat(badGateway.statusCode()).isEqualTo(502);
        assertThat(requestId(badGateway)).as("the shield's echo is not relayed").isEqualTo("c-4");
    }

    @Test
    void theCombinedLogHasALinePerRequestWithItsCacheStatusOnBothTiers() throws Exception {
        ProxyNode shield = shield(spec -> spec.withAccessLog(accessLog("combined")));
        ProxyNode edge = edge(shield, spec -> spec.withAccessLog(accessLog("combined")));
        assertThat(get(shield.uri(), "/.strata/health").statusCode()).isEqualTo(200); // not logged

        HttpResponse<String> miss =
                get(edge.uri(), "/a.css?v=1", "Referer", "https://example.com/", "User-Agent", "agent \"quoted\"");
        HttpResponse<String> hit = get(edge.uri(), "/a.css?v=1");

        AccessLog edgeLog = edge.accessLog().orElseThrow();
        assertThat(edgeLog.path()).isEqualTo(dir.resolve("logs").resolve("edge-ams-access.log"));
        List<String> lines = awaitLines(edgeLog, 2);
        Matcher first = CombinedLines.fields(lines.get(0));
        assertThat(first.group(1)).isEqualTo("127.0.0.1");
        assertThat(first.group(2)).isEqualTo("23/Nov/2026:12:00:00 +0000");
        assertThat(first.group(3) + " " + first.group(4) + " " + first.group(5)).isEqualTo("GET /a.css?v=1 HTTP/1.1");
        assertThat(first.group(6)).isEqualTo("200");
        assertThat(Long.parseLong(first.group(7))).isEqualTo(miss.body().length());
        assertThat(first.group(8)).isEqualTo("https://example.com/");
        assertThat(first.group(9)).isEqualTo("agent \\x22quoted\\x22");
        assertThat(first.group(10)).isEqualTo("MISS");
        assertThat(first.group(11)).matches("\\d+\\.\\d{3}");
        assertThat(Long.parseLong(first.group(12))).isGreaterThan(miss.body().length() + 100L);
        assertThat(first.group(13)).isEqualTo("ams");
        assertThat(first.group(14)).isEqualTo(requestId(miss));
        assertThat(Double.parseDouble(first.group(15))).isGreaterThanOrEqualTo(Double.parseDouble(first.group(11)));

        Matcher second = CombinedLines.fields(lines.get(1));
        assertThat(second.group(10)).isEqualTo("HIT");
        assertThat(second.group(11)).as("no upstream on a hit").isEqualTo("-");
        assertThat(second.group(8)).as("no referer").isEqualTo("-");
        assertThat(second.group(14)).isEqualTo(requestId(hit));

        // The shield logged the edge's fill under the client's id; its health check is not logged.
        Matcher atShield = CombinedLines.fields(
                awaitLines(shield.accessLog().orElseThrow(), 1).get(0));
        assertThat(atShield.group(10)).isEqualTo("MISS");
        assertThat(atShield.group(13)).isEqualTo("shield-1");
        assertThat(atShield.group(14)).isEqualTo(requestId(miss));
    }

    @Test
    void theJsonLogHasTheSameFieldsAsObjects() throws Exception {
        ProxyNode edge = edge(shield(spec -> spec), spec -> spec.withAccessLog(accessLog("json")));

        HttpResponse<String> miss = get(edge.uri(), "/b.js", "User-Agent", "agent \"quoted\" \\ back");
        HttpResponse<String> hit = get(edge.uri(), "/b.js");

        List<String> lines = awaitLines(edge.accessLog().orElseThrow(), 2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("time").asText()).isEqualTo("2026-11-23T12:00:00.000Z");
        assertThat(first.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(first.get("method").asText()).isEqualTo("GET");
        assertThat(first.get("uri").asText()).isEqualTo("/b.js");
        assertThat(first.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(first.get("status").asInt()).isEqualTo(200);
        assertThat(first.get("body_bytes").asLong()).isEqualTo(miss.body().length());
        assertThat(first.get("referer").isNull()).isTrue();
        assertThat(first.get("user_agent").asText()).isEqualTo("agent \"quoted\" \\ back");
        assertThat(first.get("cache").asText()).isEqualTo("MISS");
        assertThat(first.get("upstream_seconds").isNumber()).isTrue();
        assertThat(first.get("bytes_sent").asLong())
                .isGreaterThan(first.get("body_bytes").asLong());
        assertThat(first.get("node").asText()).isEqualTo("ams");
        assertThat(first.get("request_id").asText()).isEqualTo(requestId(miss));
        assertThat(first.get("total_seconds").isNumber()).isTrue();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("cache").asText()).isEqualTo("HIT");
        assertThat(second.get("upstream_seconds").isNull()).isTrue();
        assertThat(second.get("request_id").asText()).isEqualTo(requestId(hit));
    }

    @Test
    void serverTimingNamesTheCacheStatusTheUpstreamWaitAndTheTotal() throws Exception {
        ProxyNode shield = shield(spec -> spec.withServerTiming(true));
        ProxyNode edge = edge(shield, spec -> spec.withServerTiming(true));

        HttpResponse<String> miss = get(edge.uri(), "/c.png");
        HttpResponse<String> hit = get(edge.uri(), "/c.png");

        assertThat(miss.headers().allValues("Server-Timing"))
                .as("the edge's alone: the shield's is replaced")
                .singleElement()
                .asString()
                .matches("cache;desc=MISS, upstream;dur=\\d+\\.\\d, total;dur=\\d+\\.\\d");
        assertThat(hit.headers().allValues("Server-Timing"))
                .singleElement()
                .asString()
                .matches("cache;desc=HIT, total;dur=\\d+\\.\\d");
        assertThat(get(shield.uri(), "/d.png").headers().allValues("Server-Timing"))
                .singleElement()
                .asString()
                .matches("cache;desc=MISS, upstream;dur=\\d+\\.\\d, total;dur=\\d+\\.\\d");
    }

    @Test
    void aLogThatCannotBeWrittenDropsLinesWhileTheNodeServes() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC, like a full disk
        assumeThat(Files.isWritable(full)).as("/dev/full on this system").isTrue();
        ProxyNode edge = edge(
                shield(spec -> spec),
                spec -> spec.withAccessLog(new AccessLogConfig(true, "combined", full, ByteSize.ofKibibytes(1), 2)));

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get(edge.uri(), "/full-" + (i % 4));
            assertThat(response.statusCode()).isEqualTo(200);
        }

        AccessLog log = edge.accessLog().orElseThrow();
        await().atMost(PATIENCE).until(() -> log.dropped() == 20);
        assertThat(log.droppedWriteErrors()).isEqualTo(20);
        assertThat(log.written()).isZero();
        assertThat(get(edge.uri(), "/full-0").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void concurrentRequestsAreAllLoggedWithoutBlockingAnIoThread() throws Exception {
        ProxyNode edge = edge(shield(spec -> spec), spec -> spec.withAccessLog(accessLog("combined")));

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            responses.add(http.sendAsync(
                    HttpRequest.newBuilder(edge.uri().resolve("/many-" + (i % 30)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> done = response.get();
            assertThat(done.statusCode()).isEqualTo(200);
            ids.add(requestId(done));
        }

        List<String> lines = awaitLines(edge.accessLog().orElseThrow(), 300);
        assertThat(lines.stream().map(line -> CombinedLines.fields(line).group(14)))
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).doesNotHaveDuplicates();
        // Nodes.close() fails the test if any of this blocked an I/O thread.
    }
}
