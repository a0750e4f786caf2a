package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Variants (RFC 9111 §4.1) and invalidation by Location (§4.4) through a real edge. */
class VaryIT {
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

    private ProxyNode edge() {
        return nodes.edge(dir.resolve("edge"), origin.uri());
    }

    private HttpResponse<String> get(ProxyNode node, String path, String... headers) throws Exception {
        return send(node, "GET", path, headers);
    }

    private HttpResponse<String> send(ProxyNode node, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.uri().resolve(path))
                .method(
                        method,
                        method.equals("POST")
                                ? HttpRequest.BodyPublishers.ofString("payload")
                                : HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private void varyOnLanguage(String path, String... moreHeaders) {
        List<String> headers = new ArrayList<>(List.of("Cache-Control", "max-age=60", "Vary", "Accept-Language"));
        headers.addAll(List.of(moreHeaders));
        origin.respond(path, headers.toArray(String[]::new));
        origin.echo(path, "Accept-Language");
    }

    @Test
    void twoLanguageVariantsAreStoredAndEachServedOnlyToItsOwnClients() throws Exception {
        varyOnLanguage("/lang");
        ProxyNode edge = edge();

        HttpResponse<String> english = get(edge, "/lang", "Accept-Language", "en");
        HttpResponse<String> german = get(edge, "/lang", "Accept-Language", "de");
        HttpResponse<String> englishAgain = get(edge, "/lang", "Accept-Language", "EN");
        HttpResponse<String> germanAgain = get(edge, "/lang", "Accept-Language", "de");
        HttpResponse<String> none = get(edge, "/lang");

        assertThat(xCache(english)).isEqualTo("MISS");
        assertThat(xCache(german)).isEqualTo("MISS");
        assertThat(english.body()).isEqualTo("GET /lang #1 Accept-Language=en");
        assertThat(german.body()).isEqualTo("GET /lang #2 Accept-Language=de");
        assertThat(xCache(englishAgain)).isEqualTo("HIT");
        assertThat(englishAgain.body()).isEqualTo(english.body());
        assertThat(englishAgain.headers().firstValue("Vary")).hasValue("Accept-Language");
        assertThat(xCache(germanAgain)).isEqualTo("HIT");
        assertThat(germanAgain.body()).isEqualTo(german.body());
        assertThat(xCache(none)).isEqualTo("MISS");
        assertThat(none.body()).isEqualTo("GET /lang #3 Accept-Language=-");
        assertThat(origin.count("/lang")).isEqualTo(3);
    }

    @Test
    void varyStarIsNeverAHit() throws Exception {
        origin.respond("/star", "Cache-Control", "max-age=60", "Vary", "*");
        ProxyNode edge = edge();

        HttpResponse<String> first = get(edge, "/star");
        HttpResponse<String> second = get(edge, "/star");

        assertThat(xCache(first)).isEqualTo("PASS");
        assertThat(xCache(second)).isEqualTo("PASS");
        assertThat(second.body()).isEqualTo("GET /star #2");
    }

    @Test
    void acceptEncodingTokenOrderAndCaseShareAVariant() throws Exception {
        origin.respond("/enc", "Cache-Control", "max-age=60", "Vary", "Accept-Encoding");
        origin.echo("/enc", "Accept-Encoding");
        ProxyNode edge = edge();

        HttpResponse<String> first = get(edge, "/enc", "Accept-Encoding", "br, gzip");
        HttpResponse<String> reordered = get(edge, "/enc", "Accept-Encoding", "GZIP,br");
        HttpResponse<String> refusingOne = get(edge, "/enc", "Accept-Encoding", "gzip, br, zstd;q=0");
        HttpResponse<String> gzipOnly = get(edge, "/enc", "Accept-Encoding", "gzip");

        assertThat(xCache(first)).isEqualTo("MISS");
        assertThat(first.body()).isEqualTo("GET /enc #1 Accept-Encoding=br, gzip");
        assertThat(xCache(reordered)).isEqualTo("HIT");
        assertThat(reordered.body()).isEqualTo(first.body());
        assertThat(xCache(refusingOne)).isEqualTo("HIT");
        assertThat(xCache(gzipOnly)).isEqualTo("MISS");
        assertThat(gzipOnly.body()).isEqualTo("GET /enc #2 Accept-Encoding=gzip");
    }

    @Test
    void aHeadIsAnsweredFromTheGetVariantItSelects() throws Exception {
        varyOnLanguage("/head");
        ProxyNode edge = edge();
        get(edge, "/head", "Accept-Language", "en");

        HttpResponse<String> head = send(edge, "HEAD", "/head", "Accept-Language", "en");
        HttpResponse<String> otherHead = send(edge, "HEAD", "/head", "Accept-Language", "de");
        HttpResponse<String> otherGet = get(edge, "/head", "Accept-Language", "de");

        assertThat(xCache(head)).isEqualTo("HIT");
        assertThat(head.body()).isEmpty();
        assertThat(xCache(otherHead)).isEqualTo("MISS");
        assertThat(xCache(otherGet)).isEqualTo("HIT");
        assertThat(otherGet.body()).isEqualTo("GET /head #2 Accept-Language=de");
        assertThat(origin.count("/head")).isEqualTo(2);
    }

    @Test
    void aRestartedNodeKeepsEveryVariant() throws Exception {
        varyOnLanguage("/kept");
        ProxyNode first = edge();
        get(first, "/kept", "Accept-Language", "en");
        get(first, "/kept", "Accept-Language", "de");
        nodes.stop(first);

        ProxyNode second = edge();
        HttpResponse<String> german = get(second, "/kept", "Accept-Language", "de");
        HttpResponse<String> english = get(second, "/kept", "Accept-Language", "en");

        assertThat(xCache(german)).isEqualTo("HIT");
        assertThat(german.body()).isEqualTo("GET /kept #2 Accept-Language=de");
        assertThat(xCache(english)).isEqualTo("HIT");
        assertThat(english.body()).isEqualTo("GET /kept #1 Accept-Language=en");
        assertThat(origin.count("/kept")).isEqualTo(2);
    }

    @Test
    void backgroundRevalidationRefreshesTheVariantThatWasStale() throws Exception {
        varyOnLanguage("/swr", "Cache-Control", "stale-while-revalidate=600");
        ProxyNode edge = edge();
        get(edge, "/swr", "Accept-Language", "en");
        get(edge, "/swr", "Accept-Language", "de");
        clock.advance(Duration.ofSeconds(61));

        HttpResponse<String> stale = get(edge, "/swr", "Accept-Language", "en");
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.count("/swr") == 3);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> xCache(get(edge, "/swr", "Accept-Language", "en")).equals("HIT"));
        HttpResponse<String> refreshed = get(edge, "/swr", "Accept-Language", "en");
        HttpResponse<String> german = get(edge, "/swr", "Accept-Language", "de");

        assertThat(xCache(stale)).isEqualTo("STALE");
        assertThat(stale.body()).isEqualTo("GET /swr #1 Accept-Language=en");
        assertThat(refreshed.body()).isEqualTo("GET /swr #3 Accept-Language=en");
        assertThat(xCache(german)).isEqualTo("STALE");
        assertThat(german.body()).isEqualTo("GET /swr #2 Accept-Language=de");
    }

    @Test
    void aPostWithLocationInvalidatesThatUrlToo() throws Exception {
        origin.respond("/form", "Location", "/other", "Content-Location", "http://elsewhere.example/kept");
        ProxyNode edge = edge();
        get(edge, "/other");
        get(edge, "/kept");
        assertThat(xCache(get(edge, "/other"))).isEqualTo("HIT");

        HttpResponse<String> post = send(edge, "POST", "/form");
        HttpResponse<String> other = get(edge, "/other");
        HttpResponse<String> kept = get(edge, "/kept");

        assertThat(xCache(post)).isEqualTo("PASS");
        assertThat(xCache(other)).isEqualTo("MISS");
        assertThat(other.body()).isEqualTo("GET /other #2");
        assertThat(xCache(kept))
                .as("another host's Content-Location is ignored")
                .isEqualTo("HIT");
    }

    @Test
    void invalidatingAUrlRemovesAllItsVariantsFromMemoryAndDisk() throws Exception {
        varyOnLanguage("/doc");
        ProxyNode first = edge();
        get(first, "/doc", "Accept-Language", "en");
        get(first, "/doc", "Accept-Language", "de");

        send(first, "DELETE", "/doc");
        HttpResponse<String> english = get(first, "/doc", "Accept-Language", "en");
        nodes.stop(first);
        ProxyNode second = edge();
        HttpResponse<String> german = get(second, "/doc", "Accept-Language", "de");

        assertThat(xCache(english)).isEqualTo("MISS");
        assertThat(english.body()).isEqualTo("GET /doc #4 Accept-Language=en");
        assertThat(xCache(german)).isEqualTo("MISS");
        assertThat(german.body()).isEqualTo("GET /doc #5 Accept-Language=de");
    }

    @Test
    void aFieldTheEdgeNeverForwardsCannotSplitOrPoisonAVariant() throws Exception {
        origin.respond("/host", "Cache-Control", "max-age=60", "Vary", "X-Forwarded-Host");
        origin.echo("/host", "X-Forwarded-Host");
        ProxyNode edge = edge();

        HttpResponse<String> poisoner = get(edge, "/host", "X-Forwarded-Host", "evil.example");
        HttpResponse<String> victim = get(edge, "/host");

        assertThat(poisoner.body()).isEqualTo("GET /host #1 X-Forwarded-Host=-");
        assertThat(xCache(victim)).isEqualTo("HIT");
        assertThat(victim.body()).isEqualTo(poisoner.body());
    }
}
