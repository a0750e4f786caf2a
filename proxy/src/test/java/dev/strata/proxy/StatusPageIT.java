package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a real edge (admin listener, purge log, origin), loaded in a real headless
 * Chromium: it shows what the node knows — name, hit ratio, upstream hosts, purges — refreshes
 * itself as traffic goes on, and renders hostile text as text.
 */
class StatusPageIT {
    /** A surrogate key the purge API accepts that would run script if the page treated it as markup. */
    private static final String HOSTILE_TAG = "<img/src=x/onerror=document.body.dataset.xss=1>";

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final TestOrigin origin = new TestOrigin();

    @SuppressWarnings("NullAway.Init")
    private TestPurgeApi api;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode edge;

    @BeforeEach
    void start() throws Exception {
        api = nodes.track(TestPurgeApi.start(dir.resolve("purge-log"), origin.uri()));
        edge = nodes.startWithAdmin(
                "edge",
                "ams",
                dir.resolve("edge"),
                Router.forEdge(Nodes.withSites(List.of(origin.uri()))),
                List.of(api.uri()));
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private String xCache(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(edge.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Cache").orElse("(none)");
    }

    /** One MISS and three HITs: a hit ratio of 75 %, by requests and by bytes (equal bodies). */
    private void missThenThreeHits() throws Exception {
        assertThat(xCache("/a.css")).isEqualTo("MISS");
        for (int i = 0; i < 3; i++) {
            assertThat(xCache("/a.css")).isEqualTo("HIT");
        }
        Nodes.awaitRecorded(edge, 4);
    }

    private long purgeHostileTag() throws Exception {
        long seq = api.post("{\"tags\":[\"" + HOSTILE_TAG.replace("\"", "\\\"") + "\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.purgeLogSeq() >= seq);
        return seq;
    }

    private URI admin(String path) {
        return edge.adminUri().orElseThrow().resolve(path);
    }

    @Test
    void statusJsonDescribesTheNode() throws Exception {
        missThenThreeHits();
        long seq = purgeHostileTag();

        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(admin("/status.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode status = new ObjectMapper().readTree(response.body());

        assertThat(status.at("/node/name").asText()).isEqualTo("ams");
        assertThat(status.at("/node/role").asText()).isEqualTo("edge");
        assertThat(status.at("/node/version").asText()).isEqualTo(BuildInfo.VERSION);
        assertThat(status.at("/node/ready").asBoolean()).isTrue();
        assertThat(status.at("/requests/total").asLong()).isEqualTo(4);
        assertThat(status.at("/requests/hitRatio").asDouble()).isEqualTo(0.75);
        assertThat(status.at("/requests/byteHitRatio").asDouble()).isEqualTo(0.75);
        assertThat(status.at("/cache/memory/usedBytes").asLong()).isPositive();
        assertThat(status.at("/cache/disk/state").asText()).isEqualTo("open");
        JsonNode upstream = status.at("/upstreams/0");
        assertThat(upstream.path("host").asText())
                .isEqualTo("127.0.0.1:" + origin.uri().getPort());
        assertThat(upstream.path("status").asText()).isEqualTo("UP");
        assertThat(upstream.path("requests").asLong()).isEqualTo(1);
        assertThat(status.at("/purges/recent/0/seq").asLong()).isEqualTo(seq);
        assertThat(status.at("/purges/recent/0/targets/0").asText()).isEqualTo(HOSTILE_TAG);
        assertThat(status.at("/purges/lag").asLong()).isZero();
        assertThat(status.at("/compression/responses/br").asLong()).isZero();
        assertThat(status.at("/compression/operations").asLong()).isZero();
        assertThat(status.at("/waf/applies").asBoolean()).isTrue();
        assertThat(status.at("/waf/enabled").asBoolean()).isFalse();
        assertThat(status.at("/rateLimits/enabled").asBoolean()).isFalse();
        assertThat(status.at("/rateLimits/limits")).isEmpty();
    }

    @Test
    void thePageShowsTheNodeAndRefreshesItselfInARealBrowser() throws Exception {
        missThenThreeHits();
        long seq = purgeHostileTag();
        HttpResponse<String> page =
                http.send(HttpRequest.newBuilder(admin("/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'none'; script-src 'sha256-"));
        assertThat(page.body()).doesNotContain("http://", "https://").contains("<script>");

        try (HeadlessChromium browser = HeadlessChromium.start(Files.createDirectories(dir.resolve("profile")))) {
            browser.open(admin("/status"));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(browser.text("#hit-ratio")).isEqualTo("75.0 %"));
            assertThat(browser.text("#node-name")).isEqualTo("ams");
            assertThat(browser.text("#node-role")).isEqualTo("EDGE");
            assertThat(browser.text("#node-ready")).isEqualTo("READY");
            assertThat(browser.text("#node-version")).isEqualTo(BuildInfo.VERSION);
            assertThat(browser.text("#byte-hit-ratio")).isEqualTo("75.0 %");
            assertThat(browser.text("#requests-total")).isEqualTo("4");
            assertThat(browser.text("#requests tr[data-status=hit] .requests")).isEqualTo("3");
            assertThat(browser.text("#requests tr[data-status=miss] .requests")).isEqualTo("1");
            String originHost = "127.0.0.1:" + origin.uri().getPort();
            assertThat(browser.texts("#upstreams tbody tr .host")).containsExactly(originHost);
            assertThat(browser.texts("#upstreams tbody tr .state")).containsExactly("UP");
            assertThat(browser.text("#upstreams tbody tr .reason")).isEqualTo("configured");
            assertThat(browser.texts("#purges tbody tr")).hasSize(1);
            assertThat(browser.text("#purges tr[data-seq='" + seq + "'] .targets"))
                    .as("the hostile tag, as text")
                    .isEqualTo(HOSTILE_TAG);
            assertThat(browser.text("#purges tr[data-seq='" + seq + "'] .kind")).isEqualTo("tags");
            assertThat(browser.execute("return document.querySelectorAll('img').length;")
                            .asInt())
                    .as("no element injected")
                    .isZero();
            assertThat(browser.execute("return document.body.dataset.xss === undefined;")
                            .asBoolean())
                    .as("no script ran")
                    .isTrue();
            assertThat(browser.text("#purge-state")).contains("applied " + seq + " of " + seq);
            assertThat(browser.text("#waf-state")).isEqualTo("Off (waf.enabled is false).");
            assertThat(browser.text("#rate-limit-state")).isEqualTo("Off (rate-limits.enabled is false).");
            assertThat(browser.text("#cache-memory")).contains("memory").contains(" of ");
            assertThat(browser.text("#compression")).isEqualTo("No compressible responses yet.");
            assertThat(browser.text("#error")).isEmpty();

            browser.execute("window.strataLoadedOnce = 42;");
            for (int i = 0; i < 4; i++) {
                assertThat(xCache("/a.css")).isEqualTo("HIT");
            }
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(browser.text("#hit-ratio")).isEqualTo("87.5 %"));
            assertThat(browser.text("#requests-total")).isEqualTo("8");
            assertThat(browser.execute("return window.strataLoadedOnce;").asInt())
                    .as("refreshed in place, not reloaded")
                    .isEqualTo(42);
            browser.screenshot(Path.of("target", "status-page.png"));
        }
        assertThat(Path.of("target", "status-page.png")).isNotEmptyFile();
    }

    @Test
    void wafRefusalsByRuleAndRateLimitRejectionsShowOnThePage() throws Exception {
        ProxyNode filtered = new YamlEdge(nodes, dir.resolve("filtered"), origin.uri())
                .start(
                        """
                waf:
                  enabled: true
                rate-limits:
                  enabled: true
                  requests-per-second: 0.001
                  burst: 2
                  rules:
                    - name: search
                      path-prefix: /search
                      key: route
                      requests-per-second: 0.001
                      burst: 1
                """);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/p?q=%3Cscript%3E", "").status())
                .isEqualTo(403);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/a/%2e%2e/b", "").status())
                .isEqualTo(403);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/a/%2e%2e/c", "").status())
                .isEqualTo(403);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/search?q=1", "").status())
                .isEqualTo(200);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/search?q=2", "").status())
                .isEqualTo(429);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/a.css", "").status()).isEqualTo(200);
        assertThat(RawHttp.get(filtered, "127.0.0.1", "/a.css", "").status()).isEqualTo(429);
        URI admin = filtered.adminUri().orElseThrow();

        JsonNode status = new ObjectMapper()
                .readTree(http.send(
                                HttpRequest.newBuilder(admin.resolve("/status.json"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        assertThat(status.at("/waf/enabled").asBoolean()).isTrue();
        assertThat(status.at("/waf/mode").asText()).isEqualTo("block");
        assertThat(status.at("/waf/requests/block").asLong()).isEqualTo(3);
        assertThat(status.at("/waf/blocks/0/rule").asText()).isEqualTo("protocol.path-traversal");
        assertThat(status.at("/waf/blocks/0/count").asLong()).isEqualTo(2);
        assertThat(status.at("/waf/blocks").findValuesAsText("rule"))
                .containsExactlyInAnyOrder("protocol.path-traversal", "xss.script-tag", "xss.html-tag");
        assertThat(status.at("/rateLimits/limits").findValuesAsText("name")).containsExactly("default", "search");
        assertThat(status.at("/rateLimits/limits/0/rejections").asLong()).isEqualTo(1);
        assertThat(status.at("/rateLimits/limits/1/rejections").asLong()).isEqualTo(1);

        try (HeadlessChromium browser =
                HeadlessChromium.start(Files.createDirectories(dir.resolve("filtered-profile")))) {
            browser.open(admin.resolve("/status"));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(browser.text("#node-name")).isEqualTo("ams"));
            assertThat(browser.text("#waf-state"))
                    .isEqualTo("Blocking: " + status.at("/waf/rules").asInt()
                            + " rules, anomaly threshold 5; 3 requests refused, 0 detected.");
            assertThat(browser.text("#waf-blocks tr[data-rule='protocol.path-traversal'] .count"))
                    .isEqualTo("2");
            assertThat(browser.text("#waf-blocks tr[data-rule='xss.script-tag'] .action"))
                    .isEqualTo("block");
            assertThat(browser.text("#rate-limits tr[data-limit='search'] .rejections"))
                    .isEqualTo("1");
            assertThat(browser.text("#rate-limits tr[data-limit='search'] .rate"))
                    .isEqualTo("0.001 per second, bursts of 1, per route");
            assertThat(browser.text("#rate-limits tr[data-limit='default'] .rejections"))
                    .isEqualTo("1");
            assertThat(browser.text("#rate-limit-state")).isEqualTo("2 limits.");
            browser.screenshot(Path.of("target", "status-page-waf.png"));
        }
    }
}
