package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ByteSize;
import dev.strata.config.CachePolicyConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import dev.strata.origin.OriginServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyNodeIT {
    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final MutableClock clock = nodes.clock;

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

    private ProxyNode edgeInFrontOf(URI upstream) {
        return nodes.edge(dir.resolve("edge"), upstream);
    }

    private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void secondRequestIsAHitWithTheSameBodyAndAnAge() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> first = get(edge.uri(), "/a.css");
        clock.advance(Duration.ofSeconds(7));
        HttpResponse<String> second = get(edge.uri(), "/a.css");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo("GET /a.css #1");
        assertThat(second.headers().firstValue("Age")).hasValue("7");
        assertThat(second.headers().firstValue("X-Served-By")).hasValue("edge-test");
        assertThat(origin.count("/a.css")).isEqualTo(1);
    }

    @Test
    void expiredEntryIsFetchedAgain() throws Exception {
        origin.respond("/short", "Cache-Control", "max-age=5");
        ProxyNode edge = edgeInFrontOf(origin.uri());

        get(edge.uri(), "/short");
        clock.advance(Duration.ofSeconds(6));
        HttpResponse<String> later = get(edge.uri(), "/short");

        assertThat(later.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(later.body()).isEqualTo("GET /short #2");
    }

    @Test
    void noStoreResponsesArePassedAndNeverStored() throws Exception {
        origin.respond("/private", "Cache-Control", "no-store");
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> first = get(edge.uri(), "/private");
        HttpResponse<String> second = get(edge.uri(), "/private");

        assertThat(first.headers().firstValue("X-Cache")).hasValue("PASS");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("PASS");
        assertThat(origin.count("/private")).isEqualTo(2);
    }

    @Test
    void clientNoCacheGoesUpstream() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        get(edge.uri(), "/reload");
        HttpResponse<String> reload = get(edge.uri(), "/reload", "Cache-Control", "no-cache");

        assertThat(reload.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(origin.count("/reload")).isEqualTo(2);
    }

    @Test
    void unsafeMethodPassesAndInvalidatesTheStoredEntry() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/doc");

        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(edge.uri().resolve("/doc"))
                        .POST(HttpRequest.BodyPublishers.ofString("payload"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> after = get(edge.uri(), "/doc");

        assertThat(post.headers().firstValue("X-Cache")).hasValue("PASS");
        assertThat(post.body()).isEqualTo("POST /doc #2");
        assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(after.body()).isEqualTo("GET /doc #3");
    }

    @Test
    void theKeysHostIsForwardedSoTheNextHopSeesTheSiteButNeverTheClientsPort() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> response = get(edge.uri(), "/host");

        assertThat(response.headers().firstValue("X-Seen-Host")).hasValue("127.0.0.1");
    }

    @Test
    void restartedNodeServesItsDiskEntriesWithoutTheUpstream() throws Exception {
        ProxyNode first = edgeInFrontOf(origin.uri());
        get(first.uri(), "/kept.js");
        nodes.stop(first);

        ProxyNode second = edgeInFrontOf(origin.uri());
        clock.advance(Duration.ofSeconds(3));
        HttpResponse<String> response = get(second.uri(), "/kept.js");

        assertThat(response.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(response.headers().firstValue("Age")).hasValue("3");
        assertThat(response.body()).isEqualTo("GET /kept.js #1");
        assertThat(origin.count("/kept.js")).isEqualTo(1);
    }

    @Test
    void unreachableUpstreamGivesAShort502() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProxyNode edge = edgeInFrontOf(URI.create("http://127.0.0.1:" + closedPort));

        HttpResponse<String> response = get(edge.uri(), "/x");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).startsWith("502 Bad Gateway").doesNotContain("Exception");
    }

    @Test
    void edgeToShieldToOriginFillsBothCaches() throws Exception {
        ProxyNode shield = nodes.start(
                "shield",
                "shield-test",
                dir.resolve("shield"),
                Router.forShield(Nodes.withSites(List.of(origin.uri()))));
        StrataConfig edgeConfig = Nodes.withShields(List.of(shield.uri()));
        ProxyNode edge = nodes.start("edge", "ams", dir.resolve("edge"), Router.forEdge(edgeConfig));
        ProxyNode otherEdge = nodes.start("edge", "nyc", dir.resolve("edge2"), Router.forEdge(edgeConfig));

        HttpResponse<String> miss = get(edge.uri(), "/img.png");
        HttpResponse<String> hit = get(edge.uri(), "/img.png");
        HttpResponse<String> otherPop = get(otherEdge.uri(), "/img.png");

        assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(otherPop.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(otherPop.headers().firstValue("X-Served-By")).hasValue("nyc");
        assertThat(otherPop.body()).isEqualTo(miss.body()).isEqualTo("GET /img.png #1");
        assertThat(origin.count("/img.png")).isEqualTo(1);
    }

    @Test
    void overlongUriIsRejectedWith414() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> response = get(edge.uri(), "/" + "a".repeat(9000));

        assertThat(response.statusCode()).isEqualTo(414);
        assertThat(response.body()).contains("URI Too Long");
        assertThat(origin.count("/" + "a".repeat(9000))).isZero();
    }

    @Test
    void tooManyHeadersAreRejectedWith431() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            headers.add("X-H" + i);
            headers.add("v");
        }

        HttpResponse<String> response = get(edge.uri(), "/h", headers.toArray(String[]::new));

        assertThat(response.statusCode()).isEqualTo(431);
    }

    @Test
    void aCookieGoesToTheClientThatFilledTheEntryAndNeverToAnother() throws Exception {
        origin.respond("/session", "Cache-Control", "max-age=60", "Set-Cookie", "session=user1");
        CachePolicyConfig storesCookieResponses =
                new CachePolicyConfig(true, false, List.of(), true, false, 0.1, Duration.ofDays(1), Duration.ofDays(1));
        ProxyNode edge = nodes.start(
                "edge",
                "edge-test",
                dir.resolve("edge"),
                Router.forEdge(Nodes.withSite(
                        new SiteConfig("s", List.of("*"), List.of(origin.uri()), storesCookieResponses))));

        HttpResponse<String> filler = get(edge.uri(), "/session");
        HttpResponse<String> other = get(edge.uri(), "/session");

        assertThat(filler.headers().firstValue("Set-Cookie")).hasValue("session=user1");
        assertThat(other.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(other.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void headersOutsideTheKeyNeverShapeASharedFill() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> poisoner = get(edge.uri(), "/page", "X-Forwarded-Host", "evil.example");
        HttpResponse<String> victim = get(edge.uri(), "/page");

        assertThat(poisoner.headers().firstValue("X-Seen-Forwarded-Host")).hasValue("-");
        assertThat(victim.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(victim.headers().firstValue("X-Seen-Forwarded-Host")).hasValue("-");
    }

    @Test
    void aSafeMethodDoesNotInvalidate() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/safe");

        http.send(
                HttpRequest.newBuilder(edge.uri().resolve("/safe"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> after = get(edge.uri(), "/safe");

        assertThat(after.headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void anInvalidHostIsRejectedWith400() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        for (String host : List.of("a b", "x@y.com", "exa/mple", "[::1", ":80")) {
            assertThat(rawStatusLine(edge, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"))
                    .as(host)
                    .startsWith("HTTP/1.1 400");
        }
        assertThat(origin.count("/")).isZero();
    }

    @Test
    void aBodyOverTheLimitIsRejectedWith413() throws Exception {
        LimitsConfig small =
                new LimitsConfig(ByteSize.ofKibibytes(8), ByteSize.ofKibibytes(32), 100, ByteSize.ofKibibytes(1));
        ProxyNode edge = nodes.start(
                "edge",
                "edge-test",
                dir.resolve("edge"),
                Router.forEdge(Nodes.withSites(List.of(origin.uri()))),
                small);

        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(edge.uri().resolve("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(16 * 1024)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("limit 1KiB");
        assertThat(origin.count("/upload")).isZero();
    }

    @Test
    void headersOverTheSizeLimitAreRejectedWith431() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> response = get(edge.uri(), "/big-header", "X-Big", "b".repeat(40 * 1024));

        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.body()).contains("limit 32KiB");
    }

    private OriginServer staticOrigin(String cacheControl) throws Exception {
        Path site = dir.resolve("site");
        Files.createDirectories(site);
        Files.writeString(site.resolve("app.js"), "console.log('strata');\n");
        OriginServer server =
                OriginServer.start(new OriginConfig(ListenAddress.of("127.0.0.1", 0), site, cacheControl), clock);
        nodes.track(server);
        return server;
    }

    @Test
    void aStaleEntryIsRevalidatedWithItsValidatorsAndServedAsRevalidated() throws Exception {
        OriginServer files = staticOrigin("public, max-age=10");
        ProxyNode edge = edgeInFrontOf(files.uri());
        HttpResponse<String> first = get(edge.uri(), "/app.js");
        clock.advance(Duration.ofSeconds(11));

        HttpResponse<String> revalidated = get(edge.uri(), "/app.js");
        HttpResponse<String> after = get(edge.uri(), "/app.js");

        assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo(first.body()).isEqualTo("console.log('strata');\n");
        assertThat(revalidated.headers().firstValue("Age")).hasValue("0");
        assertThat(revalidated.headers().firstValue("Cache-Status"))
                .hasValueSatisfying(
                        status -> assertThat(status).contains("fwd=stale").contains("fwd-status=304"));
        assertThat(after.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(files.requestCount()).isEqualTo(2);
    }

    @Test
    void aClientsOwnConditionalGets304FromAFreshEntry() throws Exception {
        OriginServer files = staticOrigin("public, max-age=60");
        ProxyNode edge = edgeInFrontOf(files.uri());
        String etag = get(edge.uri(), "/app.js").headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> notModified = get(edge.uri(), "/app.js", "If-None-Match", etag);

        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
        assertThat(files.requestCount()).isEqualTo(1);
    }

    @Test
    void staleWhileRevalidateAnswersAtOnceAndRefreshesOnceInTheBackground() throws Exception {
        origin.respond("/swr", "Cache-Control", "max-age=10, stale-while-revalidate=60");
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/swr");
        clock.advance(Duration.ofSeconds(15));

        HttpResponse<String> stale = get(edge.uri(), "/swr");
        await().atMost(Duration.ofSeconds(20)).until(() -> origin.count("/swr") == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "HIT"
                .equals(get(edge.uri(), "/swr").headers().firstValue("X-Cache").orElse("")));
        HttpResponse<String> refreshed = get(edge.uri(), "/swr");

        assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
        assertThat(stale.body()).isEqualTo("GET /swr #1");
        assertThat(refreshed.body()).isEqualTo("GET /swr #2");
        assertThat(origin.count("/swr")).isEqualTo(2);
    }

    @Test
    void staleIfErrorServesTheStoredEntryWhenTheOriginFails() throws Exception {
        origin.respond("/sie", "Cache-Control", "max-age=10, stale-if-error=60");
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/sie");
        clock.advance(Duration.ofSeconds(15));
        origin.status("/sie", 500);

        HttpResponse<String> response = get(edge.uri(), "/sie");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Cache")).hasValue("STALE");
        assertThat(response.body()).isEqualTo("GET /sie #1");
        assertThat(response.headers().firstValue("Cache-Status"))
                .hasValueSatisfying(status -> assertThat(status).contains("fwd-status=500"));
    }

    @Test
    void mustRevalidateForbidsServingStaleOnError() throws Exception {
        origin.respond("/strict", "Cache-Control", "max-age=10, must-revalidate, stale-if-error=60");
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/strict");
        clock.advance(Duration.ofSeconds(15));
        origin.status("/strict", 500);

        HttpResponse<String> response = get(edge.uri(), "/strict");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("X-Cache")).isNotEqualTo(Optional.of("STALE"));
    }

    @Test
    void onlyIfCachedWithoutAStoredEntryIs504() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> absent = get(edge.uri(), "/oic", "Cache-Control", "only-if-cached");
        get(edge.uri(), "/oic");
        HttpResponse<String> present = get(edge.uri(), "/oic", "Cache-Control", "only-if-cached");

        assertThat(absent.statusCode()).isEqualTo(504);
        assertThat(present.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(origin.count("/oic")).isEqualTo(1);
    }

    @Test
    void cacheStatusSaysHowEachNodeAnswered() throws Exception {
        ProxyNode edge = edgeInFrontOf(origin.uri());

        HttpResponse<String> miss = get(edge.uri(), "/cs");
        HttpResponse<String> hit = get(edge.uri(), "/cs");

        assertThat(miss.headers().firstValue("Cache-Status"))
                .hasValue("edge-test; fwd=uri-miss; fwd-status=200; ttl=60; stored");
        assertThat(hit.headers().firstValue("Cache-Status")).hasValue("edge-test; hit; ttl=60");
    }

    @Test
    void cdnCacheControlIsOursAndNeverReachesTheClient() throws Exception {
        origin.respond("/cdn", "Cache-Control", "max-age=0", "CDN-Cache-Control", "max-age=600");
        ProxyNode edge = edgeInFrontOf(origin.uri());

        get(edge.uri(), "/cdn");
        HttpResponse<String> hit = get(edge.uri(), "/cdn");

        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(hit.headers().firstValue("Cache-Control")).hasValue("max-age=0");
        assertThat(hit.headers().firstValue("CDN-Cache-Control")).isEmpty();
    }

    @Test
    void aCookieOnA304GoesToThatClientAndIsNeverStored() throws Exception {
        origin.respond("/r304", "Cache-Control", "max-age=0", "ETag", "\"a\"");
        origin.notModified("/r304", "Cache-Control", "max-age=60", "ETag", "\"a\"", "Set-Cookie", "session=alice");
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/r304");
        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> revalidated = get(edge.uri(), "/r304");
        HttpResponse<String> other = get(edge.uri(), "/r304");

        assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
        assertThat(revalidated.headers().firstValue("Set-Cookie")).hasValue("session=alice");
        assertThat(other.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(other.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void aPrivate304DropsTheStoredEntry() throws Exception {
        origin.respond("/p304", "Cache-Control", "max-age=0", "ETag", "\"a\"");
        origin.notModified("/p304", "Cache-Control", "private, max-age=60", "ETag", "\"a\"");
        ProxyNode edge = edgeInFrontOf(origin.uri());
        get(edge.uri(), "/p304");
        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> revalidated = get(edge.uri(), "/p304");
        HttpResponse<String> next = get(edge.uri(), "/p304");

        assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
        assertThat(next.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(origin.count("/p304")).isEqualTo(3);
    }

    private static String rawStatusLine(ProxyNode node, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line = reader.readLine();
            return line == null ? "" : line;
        }
    }
}
