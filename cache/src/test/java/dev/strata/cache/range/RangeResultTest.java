package dev.strata.cache.range;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.fresh.HttpDates;
import dev.strata.cache.store.Body;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RangeResultTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final long T = 784_111_777_000L;

    private static final long MODIFIED = T - 3_600_000;
    private static final byte[] BODY = body(1000);
    private static final CachedResponse STORED = stored(
            200,
            BODY,
            "ETag",
            "\"v1\"",
            "Last-Modified",
            HttpDates.format(MODIFIED),
            "Date",
            HttpDates.format(T),
            "Content-Type",
            "application/octet-stream");

    private static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        return body;
    }

    private static CachedResponse stored(int status, byte[] body, String... headers) {
        return new CachedResponse(
                status, HeaderList.of(headers), body, T, new Freshness(Duration.ofSeconds(60), Duration.ZERO));
    }

    private static RangeResult get(String... requestHeaders) {
        return RangeResult.decide(HeaderList.of(requestHeaders), STORED);
    }

    private static byte[] bytes(ByteBuffer... buffers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer buffer : buffers) {
            byte[] chunk = new byte[buffer.remaining()];
            buffer.duplicate().get(chunk);
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    @Test
    void noRangeIsTheWholeResponse() {
        assertThat(get()).isEqualTo(new RangeResult.Full());
        assertThat(get("If-Range", "\"v1\"")).isEqualTo(new RangeResult.Full());
    }

    @Test
    void singleRangeIsOnePartWithItsContentRange() {
        RangeResult answer = get("Range", "bytes=0-99");

        assertThat(answer).isEqualTo(new RangeResult.Single(new ByteRange(0, 99), 1000));
        RangeResult.Single single = (RangeResult.Single) answer;
        assertThat(single.contentRange()).isEqualTo("bytes 0-99/1000");
        assertThat(bytes(single.body(Body.of(BODY)))).isEqualTo(Arrays.copyOfRange(BODY, 0, 100));
    }

    @Test
    void suffixRangeCountsFromTheEnd() {
        RangeResult.Single single = (RangeResult.Single) get("Range", "bytes=-100");

        assertThat(single.contentRange()).isEqualTo("bytes 900-999/1000");
        assertThat(bytes(single.body(Body.of(BODY)))).isEqualTo(Arrays.copyOfRange(BODY, 900, 1000));
        assertThat(((RangeResult.Single) get("Range", "bytes=-5000")).contentRange())
                .isEqualTo("bytes 0-999/1000");
    }

    @Test
    void openEndedRangeRunsToTheEnd() {
        assertThat(((RangeResult.Single) get("Range", "bytes=990-")).contentRange())
                .isEqualTo("bytes 990-999/1000");
        assertThat(((RangeResult.Single) get("Range", "bytes=990-5000")).contentRange())
                .isEqualTo("bytes 990-999/1000");
    }

    @Test
    void severalRangesAreMultipartWithEachPartsTypeAndRange() {
        RangeResult answer = get("Range", "bytes=0-9, -20");

        assertThat(answer).isInstanceOf(RangeResult.Multipart.class);
        RangeResult.Multipart multipart = (RangeResult.Multipart) answer;
        assertThat(multipart.ranges()).containsExactly(new ByteRange(0, 9), new ByteRange(980, 999));
        String boundary = multipart.boundary();
        assertThat(multipart.contentType()).isEqualTo("multipart/byteranges; boundary=" + boundary);
        byte[] expected = concat(
                ("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/1000"
                                + "\r\n\r\n")
                        .getBytes(US_ASCII),
                Arrays.copyOfRange(BODY, 0, 10),
                ("\r\n--" + boundary
                                + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 980-999/1000"
                                + "\r\n\r\n")
                        .getBytes(US_ASCII),
                Arrays.copyOfRange(BODY, 980, 1000),
                ("\r\n--" + boundary + "--\r\n").getBytes(US_ASCII));
        assertThat(bytes(multipart.body(Body.of(BODY).toDirect()))).isEqualTo(expected);
        assertThat(multipart.contentLength()).isEqualTo(expected.length);
    }

    @Test
    void theBoundaryIsTheSameForTheSameRepresentationAndSafeToSend() {
        String boundary = ((RangeResult.Multipart) get("Range", "bytes=0-0,5-5")).boundary();

        assertThat(((RangeResult.Multipart) get("Range", "bytes=1-1,7-7")).boundary())
                .isEqualTo(boundary);
        assertThat(boundary).matches("[0-9A-Za-z'()+_,./:=?-]{1,70}");
    }

    @Test
    void aPartWithoutAStoredContentTypeHasOnlyContentRange() {
        CachedResponse untyped = stored(200, BODY, "ETag", "\"v1\"");
        RangeResult.Multipart multipart =
                (RangeResult.Multipart) RangeResult.decide(HeaderList.of("Range", "bytes=0-0,2-2"), untyped);

        assertThat(new String(multipart.partHeader(0), US_ASCII))
                .isEqualTo("--" + multipart.boundary() + "\r\nContent-Range: bytes 0-0/1000\r\n\r\n");
    }

    @Test
    void severalSpecsWithOneSatisfiableAreASinglePart() {
        assertThat(get("Range", "bytes=5000-6000, 10-19"))
                .isEqualTo(new RangeResult.Single(new ByteRange(10, 19), 1000));
    }

    @Test
    void noSatisfiableRangeIsUnsatisfiableWithTheLength() {
        RangeResult answer = get("Range", "bytes=1000-");

        assertThat(answer).isEqualTo(new RangeResult.Unsatisfiable(1000));
        assertThat(((RangeResult.Unsatisfiable) answer).contentRange()).isEqualTo("bytes */1000");
        assertThat(get("Range", "bytes=5000-6000, -0")).isEqualTo(new RangeResult.Unsatisfiable(1000));
        CachedResponse empty = stored(200, new byte[0], "ETag", "\"e\"");
        assertThat(RangeResult.decide(HeaderList.of("Range", "bytes=0-"), empty))
                .isEqualTo(new RangeResult.Unsatisfiable(0));
    }

    @Test
    void invalidSyntaxIsIgnored() {
        for (String invalid : List.of("bytes", "bytes=5-1", "items=0-1", "bytes=a-b", "bytes=0-1;x", "")) {
            assertThat(get("Range", invalid)).as(invalid).isEqualTo(new RangeResult.Full());
        }
    }

    @Test
    void aRepeatedRangeFieldIsIgnored() {
        assertThat(get("Range", "bytes=0-1", "Range", "bytes=2-3")).isEqualTo(new RangeResult.Full());
    }

    @Test
    void tooManyRangesAreIgnored() {
        StringBuilder many = new StringBuilder("bytes=");
        for (int i = 0; i <= RangeHeader.MAX_RANGES; i++) {
            many.append(i).append('-').append(i).append(',');
        }
        assertThat(get("Range", many.toString())).isEqualTo(new RangeResult.Full());
    }

    @Test
    void overlappingRangesLargerThanTheBodyAreIgnored() {
        assertThat(get("Range", "bytes=0-999, 0-999")).isEqualTo(new RangeResult.Full());
        assertThat(get("Range", "bytes=0-499, 400-899")).isInstanceOf(RangeResult.Multipart.class);
    }

    @Test
    void onlyA200IsAnsweredInPart() {
        CachedResponse notFound = stored(404, BODY, "ETag", "\"v1\"");
        assertThat(RangeResult.decide(HeaderList.of("Range", "bytes=0-1"), notFound))
                .isEqualTo(new RangeResult.Full());
    }

    @Test
    void ifRangeWithTheStoredETagAllowsTheRange() {
        assertThat(get("Range", "bytes=0-1", "If-Range", "\"v1\"")).isInstanceOf(RangeResult.Single.class);
        assertThat(get("Range", "bytes=0-1", "If-Range", " \"v1\" ")).isInstanceOf(RangeResult.Single.class);
    }

    @Test
    void ifRangeWithAnotherETagIsTheWholeResponse() {
        assertThat(get("Range", "bytes=0-1", "If-Range", "\"v2\"")).isEqualTo(new RangeResult.Full());
        assertThat(get("Range", "bytes=0-1", "If-Range", "\"v1")).isEqualTo(new RangeResult.Full());
        assertThat(get("Range", "bytes=1000-", "If-Range", "\"v2\"")).isEqualTo(new RangeResult.Full());
    }

    @Test
    void aWeakETagNeverMatchesIfRange() {
        assertThat(get("Range", "bytes=0-1", "If-Range", "W/\"v1\"")).isEqualTo(new RangeResult.Full());
        CachedResponse weak = stored(200, BODY, "ETag", "W/\"v1\"");
        assertThat(RangeResult.decide(HeaderList.of("Range", "bytes=0-1", "If-Range", "W/\"v1\""), weak))
                .isEqualTo(new RangeResult.Full());
        assertThat(RangeResult.decide(HeaderList.of("Range", "bytes=0-1", "If-Range", "\"v1\""), weak))
                .isEqualTo(new RangeResult.Full());
    }

    @Test
    void ifRangeWithTheExactLastModifiedDateAllowsTheRange() {
        assertThat(get("Range", "bytes=0-1", "If-Range", HttpDates.format(MODIFIED)))
                .isInstanceOf(RangeResult.Single.class);
    }

    @Test
    void ifRangeWithAnotherDateIsTheWholeResponse() {
        assertThat(get("Range", "bytes=0-1", "If-Range", HttpDates.format(MODIFIED + 1000)))
                .isEqualTo(new RangeResult.Full());
        assertThat(get("Range", "bytes=0-1", "If-Range", HttpDates.format(MODIFIED - 1000)))
                .isEqualTo(new RangeResult.Full());
        assertThat(get("Range", "bytes=0-1", "If-Range", "yesterday")).isEqualTo(new RangeResult.Full());
    }

    @Test
    void aWeakLastModifiedNeverMatchesIfRange() {
        // RFC 9110 §8.8.2.2: a cache's stored Last-Modified is strong only with a Date 60 s later.
        CachedResponse recent =
                stored(200, BODY, "Last-Modified", HttpDates.format(T - 59_000), "Date", HttpDates.format(T));
        CachedResponse undated = stored(200, BODY, "Last-Modified", HttpDates.format(MODIFIED));

        assertThat(RangeResult.decide(
                        HeaderList.of("Range", "bytes=0-1", "If-Range", HttpDates.format(T - 59_000)), recent))
                .isEqualTo(new RangeResult.Full());
        assertThat(RangeResult.decide(
                        HeaderList.of("Range", "bytes=0-1", "If-Range", HttpDates.format(MODIFIED)), undated))
                .isEqualTo(new RangeResult.Full());
    }

    @Test
    void aRepeatedIfRangeNeverMatches() {
        assertThat(get("Range", "bytes=0-1", "If-Range", "\"v1\"", "If-Range", "\"v1\""))
                .isEqualTo(new RangeResult.Full());
    }

    @Property
    void decidingNeverThrows(@ForAll String range, @ForAll String ifRange) {
        get("Range", range);
        get("Range", "bytes=" + range);
        get("Range", "bytes=" + range, "If-Range", ifRange);
    }

    @Property
    void partsLieInsideTheBodyAndTheirLengthsAddUp(
            @ForAll @IntRange(min = 0, max = 2_000) int first,
            @ForAll @IntRange(min = 0, max = 2_000) int second,
            @ForAll @IntRange(min = 0, max = 2_000) int span,
            @ForAll @IntRange(min = 0, max = 1_500) int length) {
        CachedResponse stored = stored(200, body(length), "Content-Type", "text/plain");
        String range = "bytes=" + first + "-" + (first + span) + "," + second + "-,-" + span;
        RangeResult answer = RangeResult.decide(HeaderList.of("Range", range), stored);

        if (answer instanceof RangeResult.Single single) {
            assertThat(single.range().last()).isLessThan(length);
            assertThat(bytes(single.body(stored.body())))
                    .isEqualTo(Arrays.copyOfRange(
                            stored.body().toArray(),
                            (int) single.range().first(),
                            (int) single.range().last() + 1));
        } else if (answer instanceof RangeResult.Multipart multipart) {
            long total = 0;
            for (ByteRange part : multipart.ranges()) {
                assertThat(part.last()).isLessThan(length);
                total += part.length();
            }
            assertThat(total).isLessThanOrEqualTo(length);
            assertThat((long) bytes(multipart.body(stored.body())).length).isEqualTo(multipart.contentLength());
        } else if (answer instanceof RangeResult.Unsatisfiable unsatisfiable) {
            assertThat(unsatisfiable.completeLength()).isEqualTo(length);
            assertThat(first).isGreaterThanOrEqualTo(length);
            assertThat(second).isGreaterThanOrEqualTo(length);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
