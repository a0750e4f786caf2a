package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ListenAddress;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.config.SiteConfig;
import dev.strata.purge.PurgeApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purges through the purge API and its log, applied by an edge and its shield that follow it:
 * each kind removes (or soft-purges) exactly what it names on both tiers, an edge that was down
 * applies what it missed before it serves, and a shield holds an edge's fill until it has applied
 * the purges the edge has.
 */
class PurgeFollowerIT {
    private static final String TOKEN = "follower-test-token";
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final TestOrigin origin = new TestOrigin();

    @SuppressWarnings("NullAway.Init")
    private PurgeApiServer api;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode shield;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode edge;

    @BeforeEach
    void start() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8));
        api = nodes.track(PurgeApiServer.start(
                new PurgeApiConfig(ListenAddress.of("127.0.0.1", 0), dir.resolve("purge-log"))
                        .withTokens(List.of(new PurgeTokenConfig(
                                "ops", HexFormat.of().formatHex(hash), List.of("*"), List.of("purge", "read")))),
                List.of(SiteConfig.anyHost(List.of(origin.uri()))),
                Clock.systemUTC()));
        shield = nodes.start(
                "shield",
                "shield-1",
                dir.resolve("shield"),
                Router.forShield(Nodes.withSites(List.of(origin.uri()))),
                api.uri());
        edge = startEdge();
    }

    private ProxyNode startEdge() {
        return nodes.start(
                "edge",
                "ams",
                dir.resolve("edge"),
                Router.forEdge(Nodes.withShields(List.of(shield.uri()))),
                api.uri());
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String xCache(String path) throws Exception {
        HttpResponse<String> response = get(edge.uri(), path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.headers().firstValue("X-Cache").orElse("(none)");
    }

    /** Posts a purge and returns its sequence number. */
    private long post(String json) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(api.uri().resolve("/v1/purge"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher seq = SEQ.matcher(response.body());
        assertThat(seq.find()).isTrue();
        return Long.parseLong(seq.group(1));
    }

    /** Purges through the API, waits until both nodes applied it, then lets time pass so refills are newer. */
    private void purge(String json) throws Exception {
        long seq = post(json);
        await().atMost(Duration.ofSeconds(10)).until(() -> edge.purgeLogSeq() >= seq && shield.purgeLogSeq() >= seq);
        nodes.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void eachKindOfPurgeRemovesExactlyWhatItNamesOnEdgeAndShield() throws Exception {
        origin.respond("/p/1", "Cache-Control", "max-age=600", "Surrogate-Key", "product-1 catalog");
        origin.respond("/p/2", "Cache-Control", "max-age=600", "Cache-Tag", "product-2,catalog");
        origin.respond("/home", "Cache-Control", "max-age=600", "Surrogate-Key", "home", "ETag", "\"h1\"");
        origin.notModified("/home", "Cache-Control", "max-age=600", "ETag", "\"h1\"");
        List<String> paths = List.of("/p/1", "/p/2", "/home", "/img/a.png", "/img/b.png", "/imgx.png", "/site.css");
        for (String path : paths) {
            assertThat(xCache(path)).as(path).isEqualTo("MISS");
            assertThat(xCache(path)).as(path).isEqualTo("HIT");
        }
        HttpResponse<String> tagged = get(edge.uri(), "/p/1");
        assertThat(tagged.headers().firstValue("Surrogate-Key"))
                .as("removed before clients")
                .isEmpty();
        assertThat(get(edge.uri(), "/p/2").headers().firstValue("Cache-Tag")).isEmpty();
        assertThat(get(shield.uri(), "/p/1").headers().firstValue("Surrogate-Key"))
                .as("a shield passes them on to edges")
                .hasValue("product-1 catalog");

        purge("{\"urls\":[\"http://127.0.0.1/site.css\"]}");
        assertThat(xCache("/site.css")).isEqualTo("MISS");
        assertThat(origin.count("/site.css")).as("the shield had purged it too").isEqualTo(2);
        assertThat(xCache("/site.css")).isEqualTo("HIT");

        purge("{\"prefixes\":[\"127.0.0.1/img\"]}");
        assertThat(xCache("/img/a.png")).isEqualTo("MISS");
        assertThat(xCache("/img/b.png")).isEqualTo("MISS");
        assertThat(xCache("/imgx.png")).as("not under /img").isEqualTo("HIT");
        assertThat(origin.count("/img/a.png")).isEqualTo(2);
        assertThat(origin.count("/imgx.png")).isEqualTo(1);

        purge("{\"tags\":[\"catalog\"]}");
        assertThat(xCache("/p/1")).isEqualTo("MISS");
        assertThat(xCache("/p/2")).isEqualTo("MISS");
        assertThat(xCache("/home")).isEqualTo("HIT");
        assertThat(xCache("/site.css")).isEqualTo("HIT");
        assertThat(origin.count("/p/1")).isEqualTo(2);
        assertThat(origin.count("/p/2")).isEqualTo(2);

        purge("{\"all\":true,\"soft\":true}");
        HttpResponse<String> revalidated = get(edge.uri(), "/home");
        assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
        assertThat(revalidated.body()).isEqualTo("GET /home #1");
        assertThat(origin.count("/home")).as("one conditional request").isEqualTo(2);
        assertThat(xCache("/home")).isEqualTo("HIT");

        purge("{\"all\":true}");
        for (String path : paths) {
            assertThat(xCache(path)).as(path).isEqualTo("MISS");
        }
        assertThat(origin.count("/imgx.png")).isEqualTo(2);
        assertThat(origin.count("/site.css")).isEqualTo(3);
    }

    @Test
    void anEdgeStoppedDuringAPurgeNeverServesThePurgedObjectAfterItRestarts() throws Exception {
        assertThat(xCache("/a.css")).isEqualTo("MISS");
        assertThat(xCache("/b.css")).isEqualTo("MISS");
        nodes.stop(edge);

        long seq = post("{\"urls\":[\"http://127.0.0.1/a.css\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> shield.purgeLogSeq() >= seq);
        edge = startEdge();

        assertThat(edge.purgeLogSeq()).as("caught up before serving").isEqualTo(seq);
        assertThat(xCache("/a.css")).isEqualTo("MISS");
        assertThat(xCache("/b.css")).isEqualTo("HIT");
        assertThat(origin.count("/a.css")).isEqualTo(2);
        assertThat(origin.count("/b.css")).isEqualTo(1);
    }

    @Test
    void aShieldHoldsAFillNamingAPurgeItHasNotAppliedYet() throws Exception {
        assertThat(get(shield.uri(), "/x.js").headers().firstValue("X-Cache")).hasValue("MISS");
        long next = shield.purgeLogSeq() + 1;

        CompletableFuture<HttpResponse<String>> fill = http.sendAsync(
                HttpRequest.newBuilder(shield.uri().resolve("/x.js"))
                        .header("X-Strata-Purge-Seq", Long.toString(next))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        post("{\"urls\":[\"http://127.0.0.1/x.js\"]}");

        HttpResponse<String> answer = fill.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Cache"))
                .as("never the purged copy")
                .hasValue("MISS");
        assertThat(origin.count("/x.js")).isEqualTo(2);
    }

    @Test
    void aFillNamingASequenceFarBeyondTheLogIsRefusedAtOnce() throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(shield.uri().resolve("/x.js"))
                        .header("X-Strata-Purge-Seq", "1000000000")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("beyond this shield's log");
        assertThat(origin.count("/x.js")).isZero();
    }
}
