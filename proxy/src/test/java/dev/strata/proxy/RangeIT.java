package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.origin.OriginServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Range requests answered by an edge from its complete stored object (issue #3): the fill is always
 * whole, and every range after it comes from the cache without asking the origin again.
 */
class RangeIT {
    private static final int LENGTH = 100 * 1024;
    private static final byte[] FILE = content(LENGTH);

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final MutableClock clock = nodes.clock;

    @SuppressWarnings("NullAway.Init")
    private OriginServer origin;

    @SuppressWarnings("NullAway.Init")
    private ProxyNode edge;

    private static byte[] content(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + i / 256);
        }
        return bytes;
    }

    @BeforeEach
    void start() throws Exception {
        Path site = dir.resolve("site");
        Files.createDirectories(site);
        Files.write(site.resolve("file.bin"), FILE);
        origin = OriginServer.start(
                new OriginConfig(ListenAddress.of("127.0.0.1", 0), site, "public, max-age=60"), clock);
        nodes.track(origin);
        edge = nodes.edge(dir.resolve("edge"), origin.uri());
    }

    @AfterEach
    void stop() throws Exception {
        nodes.close();
    }

    private HttpResponse<byte[]> send(String method, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(edge.uri().resolve("/file.bin"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String... headers) throws Exception {
        return send("GET", headers);
    }

    /** Fills the edge with the whole file: one origin request. */
    private HttpResponse<byte[]> fill() throws Exception {
        HttpResponse<byte[]> whole = get();
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(FILE);
        assertThat(origin.requestCount()).isEqualTo(1);
        return whole;
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
    }

    @Test
    void aRangeAfterTheFillIsA206HitWithTheExactBytes() throws Exception {
        fill();
        clock.advance(Duration.ofSeconds(5));

        HttpResponse<byte[]> part = get("Range", "bytes=0-99");

        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(FILE, 0, 100));
        assertThat(header(part, "Content-Range")).isEqualTo("bytes 0-99/102400");
        assertThat(header(part, "Content-Length")).isEqualTo("100");
        assertThat(header(part, "X-Cache")).isEqualTo("HIT");
        assertThat(header(part, "Age")).isEqualTo("5");
        assertThat(header(part, "ETag")).startsWith("\"");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void aWhole200FromTheCacheAdvertisesRanges() throws Exception {
        fill();

        HttpResponse<byte[]> hit = get();

        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(header(hit, "X-Cache")).isEqualTo("HIT");
        assertThat(header(hit, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(hit, "Content-Length")).isEqualTo(String.valueOf(LENGTH));
        assertThat(hit.headers().firstValue("Content-Range")).isEmpty();
    }

    @Test
    void theFirstRangeOnAMissIsAnsweredFromTheWholeFill() throws Exception {
        HttpResponse<byte[]> miss = get("Range", "bytes=100-199");
        HttpResponse<byte[]> whole = get();

        assertThat(miss.statusCode()).isEqualTo(206);
        assertThat(header(miss, "X-Cache")).isEqualTo("MISS");
        assertThat(header(miss, "Content-Range")).isEqualTo("bytes 100-199/102400");
        assertThat(miss.body()).isEqualTo(Arrays.copyOfRange(FILE, 100, 200));
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(header(whole, "X-Cache")).isEqualTo("HIT");
        assertThat(whole.body())
                .as("the stored object is whole, not the fragment")
                .isEqualTo(FILE);
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void aSuffixRangeIsTheEndOfTheObject() throws Exception {
        fill();

        HttpResponse<byte[]> suffix = get("Range", "bytes=-500");

        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 101900-102399/102400");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(FILE, LENGTH - 500, LENGTH));
        assertThat(header(suffix, "X-Cache")).isEqualTo("HIT");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void twoRangesAreMultipartWithBothExactParts() throws Exception {
        fill();

        HttpResponse<byte[]> response = get("Range", "bytes=0-9, 50000-50099");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "X-Cache")).isEqualTo("HIT");
        assertThat(response.headers().firstValue("Content-Range")).isEmpty();
        String contentType = header(response, "Content-Type");
        assertThat(contentType).startsWith("multipart/byteranges; boundary=");
        assertThat(header(response, "Content-Length")).isEqualTo(String.valueOf(response.body().length));
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        List<Part> parts = parseMultipart(response.body(), boundary);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).contentType()).isEqualTo("application/octet-stream");
        assertThat(parts.get(0).contentRange()).isEqualTo("bytes 0-9/102400");
        assertThat(parts.get(0).body()).isEqualTo(Arrays.copyOfRange(FILE, 0, 10));
        assertThat(parts.get(1).contentRange()).isEqualTo("bytes 50000-50099/102400");
        assertThat(parts.get(1).body()).isEqualTo(Arrays.copyOfRange(FILE, 50000, 50100));
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheLength() throws Exception {
        fill();

        HttpResponse<byte[]> response = get("Range", "bytes=999999-");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */102400");
        assertThat(header(response, "X-Cache")).isEqualTo("HIT");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void ifRangeWithTheStoredETagGetsTheRangeAndWithAnotherTheWholeObject() throws Exception {
        String etag = header(fill(), "ETag");

        HttpResponse<byte[]> matching = get("Range", "bytes=0-99", "If-Range", etag);
        HttpResponse<byte[]> other = get("Range", "bytes=0-99", "If-Range", "\"another\"");

        assertThat(matching.statusCode()).isEqualTo(206);
        assertThat(matching.body()).isEqualTo(Arrays.copyOfRange(FILE, 0, 100));
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(FILE);
        assertThat(header(other, "X-Cache")).isEqualTo("HIT");
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    @Test
    void theClientsConditionalsComeBeforeItsRange() throws Exception {
        String etag = header(fill(), "ETag");

        HttpResponse<byte[]> response = get("Range", "bytes=0-99", "If-None-Match", etag);

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void headIgnoresRangeAsRfc9110Requires() throws Exception {
        fill();

        HttpResponse<byte[]> head = send("HEAD", "Range", "bytes=0-99");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Range")).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo("102400");
        assertThat(header(head, "X-Cache")).isEqualTo("HIT");
        assertThat(head.body()).isEmpty();
        assertThat(origin.requestCount()).isEqualTo(1);
    }

    private record Part(String contentType, String contentRange, byte[] body) {}

    /** A strict reader for multipart/byteranges (RFC 9110 §14.6). */
    private static List<Part> parseMultipart(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        Pattern header = Pattern.compile("(?:\r\n)?--" + Pattern.quote(boundary)
                + "\r\nContent-Type: ([^\r]+)\r\nContent-Range: (bytes (\\d+)-(\\d+)/\\d+)\r\n\r\n");
        List<Part> parts = new ArrayList<>();
        int at = 0;
        Matcher matcher = header.matcher(text);
        while (matcher.find(at) && matcher.start() == at) {
            int first = Integer.parseInt(matcher.group(3));
            int last = Integer.parseInt(matcher.group(4));
            int start = matcher.end();
            int end = start + last - first + 1;
            parts.add(new Part(matcher.group(1), matcher.group(2), Arrays.copyOfRange(body, start, end)));
            at = end;
        }
        assertThat(text.substring(at)).isEqualTo("\r\n--" + boundary + "--\r\n");
        return parts;
    }
}
