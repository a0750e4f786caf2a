package dev.strata.origin;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginServerIT {
    private static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05.678Z");
    private static final String MODIFIED_DATE = "Tue, 02 Jan 2024 03:04:05 GMT";

    private Path temp;

    private Path site;
    private OriginServer origin;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @BeforeEach
    void start(@TempDir Path temp) throws IOException {
        this.temp = temp;
        site = Files.createDirectories(temp.resolve("site"));
        SampleSite.generate(site);
        Files.setLastModifiedTime(site.resolve("index.html"), FileTime.from(MODIFIED));
        Files.writeString(temp.resolve("secret.txt"), "top secret", UTF_8);
        origin = OriginServer.start(config("public, max-age=60"));
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private OriginConfig config(String cacheControl) {
        return new OriginConfig(ListenAddress.of("127.0.0.1", 0), site, cacheControl);
    }

    @Test
    void reportsTheRealPortAndUri() {
        assertThat(origin.port()).isPositive();
        assertThat(origin.uri()).isEqualTo(URI.create("http://127.0.0.1:" + origin.port()));
    }

    @Test
    void servesEachSampleFileWithItsContentType() throws Exception {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("index.html", "text/html; charset=utf-8"),
                Map.entry("robots.txt", "text/plain; charset=utf-8"),
                Map.entry("css/site.css", "text/css; charset=utf-8"),
                Map.entry("js/app.js", "text/javascript; charset=utf-8"),
                Map.entry("data/catalog.json", "application/json"),
                Map.entry("img/logo.svg", "image/svg+xml"),
                Map.entry("img/photo.png", "image/png"),
                Map.entry("img/photo.webp", "image/webp"),
                Map.entry("fonts/inter.woff2", "font/woff2"),
                Map.entry("fonts/OFL.txt", "text/plain; charset=utf-8"),
                Map.entry("downloads/big.bin", "application/octet-stream"));
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(SampleSite.files());

        for (Map.Entry<String, String> file : expected.entrySet()) {
            HttpResponse<byte[]> response = get("/" + file.getKey());
            assertThat(response.statusCode()).as(file.getKey()).isEqualTo(200);
            assertThat(header(response, "Content-Type")).as(file.getKey()).isEqualTo(file.getValue());
            assertThat(response.body()).as(file.getKey()).isEqualTo(Files.readAllBytes(site.resolve(file.getKey())));
            assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(response.body().length));
            assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
            assertThat(header(response, "Cache-Control")).isEqualTo("public, max-age=60");
            assertThat(header(response, "ETag")).matches("\"[0-9a-f]{32}\"");
            assertThat(response.headers().firstValue("Date")).isPresent();
            assertThat(response.headers().firstValue("Last-Modified")).isPresent();
        }
    }

    @Test
    void rootServesIndexHtml() throws Exception {
        HttpResponse<byte[]> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.body()).isEqualTo(Files.readAllBytes(site.resolve("index.html")));
    }

    @Test
    void directoryWithoutSlashRedirectsAndWithSlashServesItsIndex() throws Exception {
        Files.writeString(site.resolve("css/index.html"), "<p>styles</p>", UTF_8);

        HttpResponse<byte[]> redirect = get("/css?x=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(header(redirect, "Location")).isEqualTo("/css/?x=1");
        assertThat(body(get("/css/"))).isEqualTo("<p>styles</p>");
        assertThat(get("/img/").statusCode()).isEqualTo(404);
    }

    @Test
    void lastModifiedIsTheFileTimeAsAnHttpDate() throws Exception {
        assertThat(header(get("/index.html"), "Last-Modified")).isEqualTo(MODIFIED_DATE);
    }

    @Test
    void dateComesFromTheInjectedClockAndCapsLastModified() throws Exception {
        origin.close();
        Instant now = Instant.parse("2023-06-07T08:09:10Z");
        origin = OriginServer.start(config("no-cache"), Clock.fixed(now, ZoneOffset.UTC));

        HttpResponse<byte[]> response = get("/index.html");
        assertThat(header(response, "Date")).isEqualTo("Wed, 07 Jun 2023 08:09:10 GMT");
        // The file is dated 2024, after this clock's now: Last-Modified must not be later than Date.
        assertThat(header(response, "Last-Modified")).isEqualTo("Wed, 07 Jun 2023 08:09:10 GMT");
        assertThat(header(response, "Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void strongEtagIsStableAndFollowsTheContent() throws Exception {
        String first = header(get("/data/catalog.json"), "ETag");
        assertThat(header(get("/data/catalog.json"), "ETag")).isEqualTo(first);

        Path catalog = site.resolve("data/catalog.json");
        byte[] original = Files.readAllBytes(catalog);
        byte[] sameSize = original.clone();
        sameSize[sameSize.length - 2] = (byte) (sameSize[sameSize.length - 2] == ' ' ? '\t' : ' ');
        Files.write(catalog, sameSize);
        Files.setLastModifiedTime(catalog, FileTime.from(MODIFIED));
        String second = header(get("/data/catalog.json"), "ETag");
        assertThat(second).isNotEqualTo(first).doesNotStartWith("W/");

        Files.write(catalog, original);
        Files.setLastModifiedTime(catalog, FileTime.from(MODIFIED.plusSeconds(60)));
        assertThat(header(get("/data/catalog.json"), "ETag"))
                .as("same content, same tag")
                .isEqualTo(first);
    }

    @Test
    void cacheControlComesFromTheConfig() throws Exception {
        origin.close();
        origin = OriginServer.start(config("public, max-age=3600, immutable"));

        assertThat(header(get("/img/logo.svg"), "Cache-Control")).isEqualTo("public, max-age=3600, immutable");
    }

    @Test
    void defaultConfigCacheControlIsPublicMaxAge60() {
        assertThat(OriginConfig.defaults().cacheControl()).isEqualTo("public, max-age=60");
    }

    @Test
    void ifNoneMatchGives304ForGetAndHead() throws Exception {
        String etag = header(get("/css/site.css"), "ETag");

        for (String method : List.of("GET", "HEAD")) {
            HttpResponse<byte[]> response =
                    send(request("/css/site.css", method).header("If-None-Match", etag));
            assertThat(response.statusCode()).as(method).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(header(response, "ETag")).isEqualTo(etag);
            assertThat(header(response, "Cache-Control")).isEqualTo("public, max-age=60");
            assertThat(response.headers().firstValue("Last-Modified")).isPresent();
            assertThat(response.headers().firstValue("Date")).isPresent();
        }
        HttpResponse<byte[]> weak = send(request("/css/site.css", "GET").header("If-None-Match", "\"x\", W/" + etag));
        assertThat(weak.statusCode()).as("weak comparison").isEqualTo(304);
        assertThat(send(request("/css/site.css", "GET").header("If-None-Match", "*"))
                        .statusCode())
                .isEqualTo(304);
        assertThat(send(request("/css/site.css", "GET").header("If-None-Match", "\"nope\""))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void ifModifiedSinceGives304OnlyWithoutIfNoneMatch() throws Exception {
        assertThat(send(request("/index.html", "GET").header("If-Modified-Since", MODIFIED_DATE))
                        .statusCode())
                .isEqualTo(304);
        assertThat(send(request("/index.html", "GET").header("If-Modified-Since", "Tue, 02 Jan 2024 03:04:04 GMT"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(request("/index.html", "GET")
                                .header("If-Modified-Since", MODIFIED_DATE)
                                .header("If-None-Match", "\"other\""))
                        .statusCode())
                .as("If-None-Match takes precedence")
                .isEqualTo(200);
    }

    @Test
    void ifMatchAndIfUnmodifiedSinceGive412() throws Exception {
        String etag = header(get("/index.html"), "ETag");

        assertThat(send(request("/index.html", "GET").header("If-Match", "\"other\""))
                        .statusCode())
                .isEqualTo(412);
        assertThat(send(request("/index.html", "GET").header("If-Match", etag)).statusCode())
                .isEqualTo(200);
        assertThat(send(request("/index.html", "GET").header("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"))
                        .statusCode())
                .isEqualTo(412);
    }

    @Test
    void headHasTheHeadersOfGetButNoBody() throws Exception {
        HttpResponse<byte[]> get = get("/img/photo.png");
        HttpResponse<byte[]> head = send(request("/img/photo.png", "HEAD"));

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(get.body().length));
        for (String name : List.of("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Accept-Ranges")) {
            assertThat(header(head, name)).as(name).isEqualTo(header(get, name));
        }
    }

    @Test
    void singleRangeGives206WithTheExactBytes() throws Exception {
        byte[] big = Files.readAllBytes(site.resolve("downloads/big.bin"));

        HttpResponse<byte[]> response =
                send(request("/downloads/big.bin", "GET").header("Range", "bytes=1000-1099"));

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 1000-1099/" + big.length);
        assertThat(header(response, "Content-Length")).isEqualTo("100");
        assertThat(header(response, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(big, 1000, 1100));
    }

    @Test
    void suffixAndOpenRangesCountFromTheEnd() throws Exception {
        byte[] css = Files.readAllBytes(site.resolve("css/site.css"));

        HttpResponse<byte[]> suffix = send(request("/css/site.css", "GET").header("Range", "bytes=-500"));
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(header(suffix, "Content-Range"))
                .isEqualTo("bytes " + (css.length - 500) + "-" + (css.length - 1) + "/" + css.length);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(css, css.length - 500, css.length));

        HttpResponse<byte[]> open = send(request("/css/site.css", "GET").header("Range", "bytes=100-"));
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(header(open, "Content-Range")).isEqualTo("bytes 100-" + (css.length - 1) + "/" + css.length);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(css, 100, css.length));
    }

    @Test
    void twoRangesGiveMultipartByteranges() throws Exception {
        byte[] js = Files.readAllBytes(site.resolve("js/app.js"));

        HttpResponse<byte[]> response = send(request("/js/app.js", "GET").header("Range", "bytes=0-9, -20"));

        assertThat(response.statusCode()).isEqualTo(206);
        String contentType = header(response, "Content-Type");
        assertThat(contentType).startsWith("multipart/byteranges; boundary=");
        assertThat(response.headers().firstValue("Content-Range")).isEmpty();
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(response.body().length));
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());

        List<Part> parts = parseMultipart(response.body(), boundary);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(parts.get(0).contentRange()).isEqualTo("bytes 0-9/" + js.length);
        assertThat(parts.get(0).body()).isEqualTo(Arrays.copyOfRange(js, 0, 10));
        assertThat(parts.get(1).contentRange())
                .isEqualTo("bytes " + (js.length - 20) + "-" + (js.length - 1) + "/" + js.length);
        assertThat(parts.get(1).body()).isEqualTo(Arrays.copyOfRange(js, js.length - 20, js.length));
    }

    @Test
    void unsatisfiableRangeGives416WithTheLength() throws Exception {
        long length = Files.size(site.resolve("robots.txt"));

        HttpResponse<byte[]> response = send(request("/robots.txt", "GET").header("Range", "bytes=" + length + "-"));

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */" + length);
    }

    @Test
    void invalidRangeIsIgnored() throws Exception {
        for (String range : List.of("bytes=5-1", "bytes=abc", "lines=1-2")) {
            HttpResponse<byte[]> response = send(request("/robots.txt", "GET").header("Range", range));
            assertThat(response.statusCode()).as(range).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Files.readAllBytes(site.resolve("robots.txt")));
        }
    }

    @Test
    void ifRangeHonoursTheRangeOnlyWhenTheValidatorMatches() throws Exception {
        String etag = header(get("/index.html"), "ETag");

        assertThat(send(request("/index.html", "GET")
                                .header("Range", "bytes=0-4")
                                .header("If-Range", etag))
                        .statusCode())
                .isEqualTo(206);
        assertThat(send(request("/index.html", "GET")
                                .header("Range", "bytes=0-4")
                                .header("If-Range", MODIFIED_DATE))
                        .statusCode())
                .isEqualTo(206);
        HttpResponse<byte[]> stale =
                send(request("/index.html", "GET").header("Range", "bytes=0-4").header("If-Range", "\"old\""));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(Files.readAllBytes(site.resolve("index.html")));
        assertThat(send(request("/index.html", "GET")
                                .header("Range", "bytes=0-4")
                                .header("If-Range", "Mon, 01 Jan 2024 00:00:00 GMT"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void headIgnoresRange() throws Exception {
        HttpResponse<byte[]> response = send(request("/robots.txt", "HEAD").header("Range", "bytes=0-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length"))
                .isEqualTo(String.valueOf(Files.size(site.resolve("robots.txt"))));
    }

    @Test
    void missingFileGives404WithAShortBody() throws Exception {
        HttpResponse<byte[]> response = get("/no/such/file.html");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(header(response, "Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(body(response)).isEqualTo("404 not found\n");
    }

    @Test
    void otherMethodsGive405WithAllow() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            HttpResponse<byte[]> response =
                    send(HttpRequest.newBuilder(origin.uri().resolve("/index.html"))
                            .method(method, HttpRequest.BodyPublishers.ofString("x")));
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(header(response, "Allow")).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void traversalNeverEscapesTheDirectory() throws Exception {
        Files.createSymbolicLink(site.resolve("link.txt"), temp.resolve("secret.txt"));
        List<String> attempts = List.of(
                "/../secret.txt",
                "/%2e%2e/secret.txt",
                "/%2E%2E%2Fsecret.txt",
                "/css/..%2F..%2Fsecret.txt",
                "/css/%2e%2e/%2e%2e/secret.txt",
                "/..%5Csecret.txt",
                "/%5C..%5Csecret.txt",
                "/index.html%00.txt",
                "/%c0%ae%c0%ae/secret.txt",
                "/%zz",
                "/link.txt");
        for (String path : attempts) {
            String response = rawGet(path);
            assertThat(response).as(path).matches("(?s)HTTP/1\\.1 (400|404) .*").doesNotContain("top secret");
            assertThat(response).as(path).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void bigFileStreamsWithExactBytes() throws Exception {
        HttpResponse<InputStream> response =
                client.send(request("/downloads/big.bin", "GET").build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(SampleSite.BIG_FILE_SIZE));
        assertThat(sha256(response.body())).isEqualTo(SampleSiteTest.sha256(site.resolve("downloads/big.bin")));
    }

    @Test
    void requestCountCountsEveryRequest() throws Exception {
        long before = origin.requestCount();

        get("/");
        get("/missing");
        send(request("/index.html", "HEAD"));
        send(HttpRequest.newBuilder(origin.uri().resolve("/")).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(origin.requestCount()).isEqualTo(before + 4);
    }

    @Test
    void concurrentRequestsAllSucceed() throws Exception {
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String file = SampleSite.files().get(i % (SampleSite.files().size() - 1)); // all but big.bin
            responses.add(
                    client.sendAsync(request("/" + file, "GET").build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<byte[]> response = responses.get(i).join();
            String file = SampleSite.files().get(i % (SampleSite.files().size() - 1));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).as(file).isEqualTo(Files.readAllBytes(site.resolve(file)));
        }
    }

    @Test
    void closeLetsARequestInFlightFinishThenRefusesConnections() throws Exception {
        HttpResponse<InputStream> response =
                client.send(request("/downloads/big.bin", "GET").build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        byte[] start = body.readNBytes(1024);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(origin::close);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(start);
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = body.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
        }
        closing.join();

        assertThat(HexFormat.of().formatHex(digest.digest()))
                .isEqualTo(SampleSiteTest.sha256(site.resolve("downloads/big.bin")));
        assertThatThrownBy(() -> get("/")).isInstanceOf(ConnectException.class);
    }

    @Test
    void startFailsClearlyOnAMissingDirectory() {
        assertThatThrownBy(() -> OriginServer.start(
                        new OriginConfig(ListenAddress.of("127.0.0.1", 0), temp.resolve("nope"), "public")))
                .isInstanceOf(OriginException.class)
                .hasMessageContaining("expected: an existing directory");
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() {
        assertThatThrownBy(() -> OriginServer.start(
                        new OriginConfig(ListenAddress.of("127.0.0.1", origin.port()), site, "public")))
                .isInstanceOf(OriginException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + origin.port());
    }

    // --- helpers ------------------------------------------------------------------------------

    private HttpRequest.Builder request(String path, String method) {
        return HttpRequest.newBuilder(origin.uri().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send(request(path, "GET"));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), UTF_8);
    }

    /** A request line sent as written, which HttpClient would not send for some of these paths. */
    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", origin.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), UTF_8);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private record Part(String contentType, String contentRange, byte[] body) {}

    /** A strict reader for the multipart/byteranges this server writes (RFC 9110 §14.6). */
    private static List<Part> parseMultipart(byte[] body, String boundary) {
        String text = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        Pattern header = Pattern.compile("(?:\r\n)?--" + Pattern.quote(boundary)
                + "\r\nContent-Type: ([^\r]+)\r\nContent-Range: bytes (\\d+)-(\\d+)/\\d+\r\n\r\n");
        List<Part> parts = new ArrayList<>();
        int at = 0;
        Matcher matcher = header.matcher(text);
        while (matcher.find(at) && matcher.start() == at) {
            int first = Integer.parseInt(matcher.group(2));
            int last = Integer.parseInt(matcher.group(3));
            int start = matcher.end();
            int end = start + last - first + 1;
            parts.add(new Part(
                    matcher.group(1),
                    "bytes " + first + "-" + last
                            + text.substring(text.indexOf('/', matcher.start(3)), matcher.end() - 4),
                    Arrays.copyOfRange(body, start, end)));
            at = end;
        }
        assertThat(text.substring(at)).isEqualTo("\r\n--" + boundary + "--\r\n");
        return parts;
    }
}
