package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.store.PurgeMarker;
import dev.strata.config.CompressionConfig;
import dev.strata.config.StrataConfig;
import dev.strata.proxy.ScriptedOrigin.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compression at the edge through real servers: an origin, a shield and an edge on 127.0.0.1. Every
 * encoded body is decoded and compared byte for byte with what the origin sent.
 */
class CompressionIT {
    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();

    @SuppressWarnings("NullAway.Init")
    private ScriptedOrigin origin;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode shield;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode edge;

    @BeforeEach
    void start() {
        origin = new ScriptedOrigin(nodes.clock);
        shield = nodes.start(
                "shield", "shield-1", dir.resolve("shield"), Router.forShield(Nodes.withSites(List.of(origin.uri()))));
        edge = startEdge();
    }

    private ProxyNode startEdge() {
        StrataConfig toShield = Nodes.withShields(List.of(shield.uri()));
        return nodes.start(
                "edge",
                "ams",
                dir.resolve("edge"),
                Router.forEdge(toShield),
                spec -> spec.withCompression(CompressionConfig.defaults()));
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    /** A script's text body: some kilobytes of JavaScript, its first line naming the fetch. */
    private static String script(int n) {
        return "/* fetch " + n + " */\n" + "export function answer(x) { return x * 42; }\n".repeat(300);
    }

    private void serveScript(String path, String... headers) {
        origin.on(path, (request, n) -> {
            Reply reply = Reply.ok()
                    .header("Content-Type", "text/javascript; charset=utf-8")
                    .header("Cache-Control", "max-age=600")
                    .header("ETag", "\"v" + n + "\"")
                    .body(script(n));
            for (int i = 0; i < headers.length; i += 2) {
                reply.header(headers[i], headers[i + 1]);
            }
            return reply;
        });
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(edge.uri().resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("(none)");
    }

    private static String decoded(HttpResponse<byte[]> response) throws IOException {
        String encoding = header(response, "Content-Encoding");
        byte[] body = response.body();
        byte[] plain =
                switch (encoding) {
                    case "br" -> brotliDecode(body);
                    case "gzip" -> gunzip(body);
                    case "(none)" -> body;
                    default -> throw new AssertionError("unexpected Content-Encoding " + encoding);
                };
        return new String(plain, StandardCharsets.UTF_8);
    }

    private static byte[] brotliDecode(byte[] body) throws IOException {
        DirectDecompress result = Decoder.decompress(body);
        assertThat(result.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
        return result.getDecompressedData();
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(String text) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private double meter(ProxyNode node, String name, String tag, String value) {
        return node.metrics().registry().get(name).tag(tag, value).counter().count();
    }

    private double compressions(ProxyNode node, String encoding) {
        return meter(node, "strata.compression.operations", "encoding", encoding);
    }

    @Test
    void brAndGzipAreChosenByAcceptEncodingAndDecodeToTheOriginsBytes() throws Exception {
        serveScript("/app.js");

        HttpResponse<byte[]> br = get("/app.js", "Accept-Encoding", "gzip, deflate, br");
        HttpResponse<byte[]> gzip = get("/app.js", "Accept-Encoding", "br;q=0.5, gzip");
        HttpResponse<byte[]> xgzip = get("/app.js", "Accept-Encoding", "x-gzip");
        HttpResponse<byte[]> star = get("/app.js", "Accept-Encoding", "*");

        assertThat(header(br, "Content-Encoding")).isEqualTo("br");
        assertThat(header(gzip, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(xgzip, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(star, "Content-Encoding")).isEqualTo("br");
        for (HttpResponse<byte[]> response : List.of(br, gzip, xgzip, star)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(decoded(response)).isEqualTo(script(1));
            assertThat(header(response, "Vary")).isEqualTo("Accept-Encoding");
            assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(response.body().length));
            assertThat(response.body().length).isLessThan(script(1).length() / 4);
            assertThat(response.headers().firstValue("Accept-Ranges")).isEmpty();
        }
        assertThat(header(br, "ETag")).isEqualTo("\"v1-br\"");
        assertThat(header(gzip, "ETag")).isEqualTo("\"v1-gzip\"");
        assertThat(origin.count("/app.js")).isEqualTo(1);
        assertThat(origin.last("/app.js").first("Accept-Encoding"))
                .as("the edge asks for the identity, whatever the client accepts")
                .isEqualTo("identity");
        assertThat(compressions(shield, "br") + compressions(shield, "gzip"))
                .as("shields never compress")
                .isZero();
    }

    @Test
    void theIdentityGoesToClientsThatAcceptNoCodingWeOffer() throws Exception {
        serveScript("/app.js");

        for (String acceptEncoding :
                List.of("identity", "*;q=0", "deflate", "gzip;q=0, br;q=0", "br;q=0.5, identity")) {
            HttpResponse<byte[]> response = get("/app.js", "Accept-Encoding", acceptEncoding);
            assertThat(header(response, "Content-Encoding")).as(acceptEncoding).isEqualTo("(none)");
            assertThat(header(response, "Vary")).as(acceptEncoding).isEqualTo("Accept-Encoding");
            assertThat(header(response, "ETag")).isEqualTo("\"v1\"");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(script(1));
        }
        HttpResponse<byte[]> none = get("/app.js");
        assertThat(header(none, "Content-Encoding")).isEqualTo("(none)");
        assertThat(header(none, "Vary"))
                .as("downstream caches must not reuse it for br clients")
                .isEqualTo("Accept-Encoding");
        assertThat(header(none, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(compressions(edge, "br") + compressions(edge, "gzip")).isZero();
        assertThat(meter(edge, "strata.compression.responses", "encoding", "identity"))
                .isEqualTo(6);
    }

    @Test
    void imagesSmallBodiesNoTransformAndOtherStatusesAreSentAsTheyAre() throws Exception {
        byte[] png = new byte[20_000];
        origin.always(
                "/photo.png",
                Reply.ok()
                        .header("Content-Type", "image/png")
                        .header("Cache-Control", "max-age=600")
                        .body(new String(png, StandardCharsets.ISO_8859_1)));
        origin.always(
                "/tiny.css",
                Reply.ok()
                        .header("Content-Type", "text/css")
                        .header("Cache-Control", "max-age=600")
                        .body("a{b:c}"));
        origin.always(
                "/kept.js",
                Reply.ok()
                        .header("Content-Type", "text/javascript")
                        .header("Cache-Control", "max-age=600, no-transform")
                        .body(script(1)));
        origin.always(
                "/missing.js",
                Reply.status(404).header("Content-Type", "text/javascript").body(script(1)));

        for (String path : List.of("/photo.png", "/tiny.css", "/kept.js", "/missing.js")) {
            HttpResponse<byte[]> response = get(path, "Accept-Encoding", "br, gzip");
            assertThat(header(response, "Content-Encoding")).as(path).isEqualTo("(none)");
            assertThat(header(response, "Vary")).as(path).isEqualTo("(none)");
        }
        assertThat(get("/kept.js", "Accept-Encoding", "br").body())
                .isEqualTo(script(1).getBytes(StandardCharsets.UTF_8));
        assertThat(compressions(edge, "br") + compressions(edge, "gzip")).isZero();
    }

    @Test
    void anUpstreamsOwnEncodingIsRelayedUntouched() throws Exception {
        byte[] gzipped = gzip(script(1));
        origin.always(
                "/pre.js",
                Reply.ok()
                        .header("Content-Type", "text/javascript")
                        .header("Content-Encoding", "gzip")
                        .header("Cache-Control", "max-age=600")
                        .body(gzipped));

        HttpResponse<byte[]> first = get("/pre.js", "Accept-Encoding", "br");
        HttpResponse<byte[]> hit = get("/pre.js", "Accept-Encoding", "gzip");

        for (HttpResponse<byte[]> response : List.of(first, hit)) {
            assertThat(header(response, "Content-Encoding")).isEqualTo("gzip");
            assertThat(response.body()).isEqualTo(gzipped);
            assertThat(header(response, "Vary")).isEqualTo("(none)");
        }
        assertThat(header(hit, "X-Cache")).isEqualTo("HIT");
        assertThat(compressions(edge, "br") + compressions(edge, "gzip")).isZero();
    }

    @Test
    void theSecondRequestIsAHitOnTheStoredVariantWithoutCompressingAgain() throws Exception {
        serveScript("/app.js");

        HttpResponse<byte[]> miss = get("/app.js", "Accept-Encoding", "br");
        HttpResponse<byte[]> hit = get("/app.js", "Accept-Encoding", "gzip, br");
        HttpResponse<byte[]> gzip = get("/app.js", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> gzipHit = get("/app.js", "Accept-Encoding", "gzip");

        assertThat(header(miss, "X-Cache")).isEqualTo("MISS");
        assertThat(header(hit, "X-Cache")).isEqualTo("HIT");
        assertThat(header(hit, "Content-Encoding")).isEqualTo("br");
        assertThat(hit.body()).isEqualTo(miss.body());
        assertThat(header(gzipHit, "X-Cache")).isEqualTo("HIT");
        assertThat(gzipHit.body()).isEqualTo(gzip.body());
        assertThat(compressions(edge, "br")).isEqualTo(1);
        assertThat(compressions(edge, "gzip")).isEqualTo(1);
        assertThat(origin.count("/app.js")).isEqualTo(1);
        assertThat(meter(edge, "strata.compression.responses", "encoding", "br"))
                .isEqualTo(2);
        double in = edge.metrics()
                .registry()
                .get("strata.compression.bytes")
                .tags("encoding", "br", "side", "in")
                .counter()
                .count();
        assertThat(in).isEqualTo(script(1).length());
    }

    @Test
    void concurrentFirstRequestsForAVariantCompressOnce() throws Exception {
        serveScript("/bundle.js");
        assertThat(header(get("/bundle.js"), "X-Cache")).isEqualTo("MISS");

        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            responses.add(http.sendAsync(
                    HttpRequest.newBuilder(edge.uri().resolve("/bundle.js"))
                            .header("Accept-Encoding", "br")
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
            HttpResponse<byte[]> done = response.get();
            assertThat(header(done, "Content-Encoding")).isEqualTo("br");
            assertThat(decoded(done)).isEqualTo(script(1));
        }
        assertThat(compressions(edge, "br")).isEqualTo(1);
    }

    /** Fills {@code path} and its br variant, then purges with {@code purge}; the next br request sees the new body. */
    private void purgeRemovesTheEncodedVariant(String path, Function<CacheKey, PurgeMarker> purge) throws Exception {
        serveScript(path, "Surrogate-Key", "scripts");
        assertThat(decoded(get(path, "Accept-Encoding", "br"))).isEqualTo(script(1));
        assertThat(header(get(path, "Accept-Encoding", "br"), "X-Cache")).isEqualTo("HIT");
        double before = compressions(edge, "br");

        edge.cache().purge(purge.apply(CacheKey.from("http", "127.0.0.1", path, "", KeyPolicy.defaults())));
        shield.cache().purge(purge.apply(CacheKey.from("http", "127.0.0.1", path, "", KeyPolicy.defaults())));
        nodes.clock.advance(Duration.ofSeconds(1));
        HttpResponse<byte[]> after = get(path, "Accept-Encoding", "br");

        assertThat(header(after, "X-Cache")).isEqualTo("MISS");
        assertThat(header(after, "Content-Encoding")).isEqualTo("br");
        assertThat(decoded(after)).as(path).isEqualTo(script(2));
        assertThat(header(after, "ETag")).isEqualTo("\"v2-br\"");
        assertThat(compressions(edge, "br")).isEqualTo(before + 1);
        assertThat(decoded(get(path, "Accept-Encoding", "br"))).isEqualTo(script(2));
    }

    @Test
    void purgesOfEveryKindRemoveTheEncodedVariants() throws Exception {
        long now = nodes.clock.millis();
        purgeRemovesTheEncodedVariant("/by-url.js", key -> PurgeMarker.url(key, nodes.clock.millis(), false));
        purgeRemovesTheEncodedVariant(
                "/prefix/a.js", key -> PurgeMarker.prefix(key.host(), "/prefix", nodes.clock.millis(), false));
        purgeRemovesTheEncodedVariant("/tagged.js", key -> PurgeMarker.tag("scripts", nodes.clock.millis(), false));
        purgeRemovesTheEncodedVariant("/all.js", key -> PurgeMarker.all(nodes.clock.millis(), false));
        assertThat(nodes.clock.millis()).isGreaterThan(now);
    }

    @Test
    void invalidatingAUrlDeletesItsEncodedVariantsFromDisk() throws Exception {
        serveScript("/doc.js");
        get("/doc.js", "Accept-Encoding", "br");
        CacheKey key = CacheKey.from("http", "127.0.0.1", "/doc.js", "", KeyPolicy.defaults());
        EncodedKey encoded = EncodedKey.of(key, "br");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> onDisk(encoded));

        HttpResponse<byte[]> post = send("POST", "/doc.js");
        assertThat(post.statusCode()).isEqualTo(200);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !onDisk(encoded));
        assertThat(edge.cache().memory().lookup(key)).isNull();
        assertThat(decoded(get("/doc.js", "Accept-Encoding", "br"))).isEqualTo(script(3));
    }

    /** Whether the edge's disk tier holds {@code key}; read on a thread of the test, never an I/O thread. */
    private boolean onDisk(EncodedKey key) {
        return edge.cache().disk().lookup(key) != null;
    }

    @Test
    void aRestartedEdgeServesTheEncodedVariantFromDisk() throws Exception {
        serveScript("/app.js");
        HttpResponse<byte[]> first = get("/app.js", "Accept-Encoding", "br");
        nodes.stop(edge); // waits for the disk lanes: the variant's write is queued before the response is sent

        edge = startEdge();
        HttpResponse<byte[]> again = get("/app.js", "Accept-Encoding", "br");

        assertThat(header(again, "X-Cache")).isEqualTo("HIT");
        assertThat(header(again, "Content-Encoding")).isEqualTo("br");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(compressions(edge, "br"))
                .as("read from disk, not compressed again")
                .isZero();
        assertThat(origin.count("/app.js")).isEqualTo(1);
    }

    @Test
    void headIsAnsweredLikeGet() throws Exception {
        serveScript("/app.js");
        HttpResponse<byte[]> get = get("/app.js", "Accept-Encoding", "br");

        HttpResponse<byte[]> head = send("HEAD", "/app.js", "Accept-Encoding", "br");
        HttpResponse<byte[]> headIdentity = send("HEAD", "/app.js");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        for (String name : List.of("Content-Encoding", "Content-Length", "ETag", "Vary", "Content-Type")) {
            assertThat(header(head, name)).as(name).isEqualTo(header(get, name));
        }
        assertThat(header(headIdentity, "Content-Encoding")).isEqualTo("(none)");
        assertThat(header(headIdentity, "Content-Length"))
                .isEqualTo(Integer.toString(script(1).length()));
    }

    @Test
    void ifNoneMatchIsAnsweredForEachVariantWithItsOwnTag() throws Exception {
        serveScript("/app.js");
        get("/app.js");

        HttpResponse<byte[]> brNotModified = get("/app.js", "Accept-Encoding", "br", "If-None-Match", "\"v1-br\"");
        HttpResponse<byte[]> identityNotModified = get("/app.js", "If-None-Match", "\"v1\"");
        HttpResponse<byte[]> brWithIdentityTag = get("/app.js", "Accept-Encoding", "br", "If-None-Match", "\"v1\"");
        HttpResponse<byte[]> gzipWithBrTag = get("/app.js", "Accept-Encoding", "gzip", "If-None-Match", "\"v1-br\"");

        assertThat(brNotModified.statusCode()).isEqualTo(304);
        assertThat(header(brNotModified, "ETag")).isEqualTo("\"v1-br\"");
        assertThat(header(brNotModified, "Vary")).isEqualTo("Accept-Encoding");
        assertThat(brNotModified.body()).isEmpty();
        assertThat(identityNotModified.statusCode()).isEqualTo(304);
        assertThat(header(identityNotModified, "ETag")).isEqualTo("\"v1\"");
        assertThat(brWithIdentityTag.statusCode()).isEqualTo(200);
        assertThat(header(brWithIdentityTag, "Content-Encoding")).isEqualTo("br");
        assertThat(gzipWithBrTag.statusCode()).isEqualTo(200);
        assertThat(decoded(gzipWithBrTag)).isEqualTo(script(1));
        assertThat(compressions(edge, "br"))
                .as("a 304 needs no compressed body")
                .isEqualTo(1);
    }

    @Test
    void aRangeIsServedFromTheIdentity() throws Exception {
        serveScript("/app.js");
        get("/app.js", "Accept-Encoding", "br");

        HttpResponse<byte[]> part = get("/app.js", "Accept-Encoding", "br", "Range", "bytes=0-99");
        HttpResponse<byte[]> ignored =
                get("/app.js", "Accept-Encoding", "br", "Range", "bytes=0-99", "If-Range", "\"v1-br\"");

        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(header(part, "Content-Encoding")).isEqualTo("(none)");
        assertThat(header(part, "Content-Range"))
                .isEqualTo("bytes 0-99/" + script(1).length());
        assertThat(header(part, "ETag")).isEqualTo("\"v1\"");
        assertThat(header(part, "Vary")).isEqualTo("Accept-Encoding");
        assertThat(new String(part.body(), StandardCharsets.UTF_8))
                .isEqualTo(script(1).substring(0, 100));
        assertThat(ignored.statusCode())
                .as("If-Range names another representation: the whole response")
                .isEqualTo(200);
        assertThat(header(ignored, "Content-Encoding")).isEqualTo("br");
        assertThat(decoded(ignored)).isEqualTo(script(1));
    }

    @Test
    void responsesThatAreNotStoredAreCompressedOnTheFly() throws Exception {
        origin.on("/live.html", (request, n) -> Reply.ok()
                .header("Content-Type", "text/html")
                .header("Cache-Control", "no-store")
                .body("<p>" + script(n) + "</p>"));

        HttpResponse<byte[]> first = get("/live.html", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> second = get("/live.html", "Accept-Encoding", "gzip");

        assertThat(header(first, "X-Cache")).isEqualTo("PASS");
        assertThat(decoded(first)).isEqualTo("<p>" + script(1) + "</p>");
        assertThat(decoded(second)).isEqualTo("<p>" + script(2) + "</p>");
        assertThat(compressions(edge, "gzip")).isEqualTo(2);
    }

    @Test
    void aVaryingResponseHasItsEncodedVariantPerVaryVariant() throws Exception {
        origin.on("/lang.js", (request, n) -> Reply.ok()
                .header("Content-Type", "text/javascript")
                .header("Cache-Control", "max-age=600")
                .header("Vary", "Accept-Language")
                .body(script(n) + "// " + request.first("Accept-Language")));

        HttpResponse<byte[]> english = get("/lang.js", "Accept-Encoding", "br", "Accept-Language", "en");
        HttpResponse<byte[]> german = get("/lang.js", "Accept-Encoding", "br", "Accept-Language", "de");
        HttpResponse<byte[]> englishAgain = get("/lang.js", "Accept-Encoding", "br", "Accept-Language", "en");

        assertThat(decoded(english)).isEqualTo(script(1) + "// en");
        assertThat(decoded(german)).isEqualTo(script(2) + "// de");
        assertThat(decoded(englishAgain)).isEqualTo(script(1) + "// en");
        assertThat(header(englishAgain, "X-Cache")).isEqualTo("HIT");
        assertThat(header(english, "Vary")).isEqualTo("Accept-Language, Accept-Encoding");
        assertThat(compressions(edge, "br")).isEqualTo(2);
    }

    @Test
    void theStatusPageCountsResponsesByEncodingAndTheBytesSaved() throws Exception {
        ProxyNode observed = nodes.start(
                "edge",
                "observed",
                dir.resolve("observed"),
                Router.forEdge(Nodes.withShields(List.of(shield.uri()))),
                spec -> spec.withCompression(CompressionConfig.defaults())
                        .withAdmin(dev.strata.config.ListenAddress.of("127.0.0.1", 0)));
        serveScript("/seen.js");
        for (String acceptEncoding : List.of("br", "br", "gzip")) {
            http.send(
                    HttpRequest.newBuilder(URI.create(observed.uri() + "/seen.js"))
                            .header("Accept-Encoding", acceptEncoding)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
        http.send(
                HttpRequest.newBuilder(URI.create(observed.uri() + "/seen.js")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        HttpResponse<String> json = http.send(
                HttpRequest.newBuilder(observed.adminUri().orElseThrow().resolve("/status.json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.JsonNode compression = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.body())
                .path("compression");

        assertThat(compression.at("/responses/br").asLong()).isEqualTo(2);
        assertThat(compression.at("/responses/gzip").asLong()).isEqualTo(1);
        assertThat(compression.at("/responses/identity").asLong()).isEqualTo(1);
        assertThat(compression.path("operations").asLong()).isEqualTo(2);
        assertThat(compression.path("bytesIn").asLong())
                .isEqualTo(2L * script(1).length());
        assertThat(compression.path("bytesOut").asLong())
                .isPositive()
                .isLessThan(script(1).length() / 4);
    }

    @Test
    void anEdgeWithCompressionOffRelaysTheClientsAcceptEncoding() throws Exception {
        ProxyNode plain = nodes.start(
                "edge", "plain", dir.resolve("plain"), Router.forEdge(Nodes.withShields(List.of(shield.uri()))));
        serveScript("/off.js");

        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create(plain.uri() + "/off.js"))
                        .header("Accept-Encoding", "br")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(header(response, "Content-Encoding")).isEqualTo("(none)");
        assertThat(header(response, "Vary")).isEqualTo("(none)");
        assertThat(origin.last("/off.js").first("Accept-Encoding")).isEqualTo("br");
    }
}
