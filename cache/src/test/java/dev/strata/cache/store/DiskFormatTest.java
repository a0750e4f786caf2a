package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class DiskFormatTest {
    private static final byte[] BODY = "<h1>hello</h1>".getBytes(StandardCharsets.UTF_8);
    private static final CachedResponse RESPONSE = new CachedResponse(
            203,
            HeaderList.of(
                    "Content-Type", "text/html; charset=utf-8",
                    "Set-Cookie", "a=1",
                    "Set-Cookie", "b=2",
                    "X-Unicode", "grüße ✓",
                    "X-Empty", ""),
            BODY,
            1_700_000_000_123L,
            new Freshness(
                    Duration.ofMillis(60_500),
                    Duration.ofMillis(1_250),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(10),
                    true,
                    false));

    @Test
    void metadataRoundTrips() {
        DiskFormat.Meta meta = decoded(DiskFormat.encodeMeta(RESPONSE));

        assertThat(meta.status()).isEqualTo(203);
        assertThat(meta.headers()).isEqualTo(RESPONSE.headers());
        assertThat(meta.storedAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(meta.freshness()).isEqualTo(RESPONSE.freshness());
        assertThat(meta.bodyLength()).isEqualTo(BODY.length);
        assertThat(meta.bodyCrc()).isEqualTo(DiskFormat.crc(BODY));
    }

    @Test
    void varyMarkerRoundTripsAndIsNeverReadAsAResponse() {
        VaryMarker marker = new VaryMarker(List.of("accept-encoding", "accept-language"));
        byte[] encoded = DiskFormat.encodeMarker(marker);

        assertThat(DiskFormat.isMarker(encoded)).isTrue();
        assertThat(DiskFormat.decodeMarker(encoded)).isEqualTo(marker);
        assertThat(DiskFormat.decodeMeta(encoded)).isNull();
        assertThat(DiskFormat.isMarker(DiskFormat.encodeMeta(RESPONSE))).isFalse();
        assertThat(DiskFormat.decodeMarker(DiskFormat.encodeMeta(RESPONSE))).isNull();
        assertThat(DiskFormat.decodeMarker(Arrays.copyOf(encoded, encoded.length - 1)))
                .isNull();
    }

    /** The decoded metadata, failing the test when the bytes do not decode. */
    private static DiskFormat.Meta decoded(byte[] encoded) {
        DiskFormat.Meta meta = DiskFormat.decodeMeta(encoded);
        assertThat(meta).as("decoded metadata").isNotNull();
        return requireNonNull(meta);
    }

    @Test
    void emptyHeadersAndBodyRoundTrip() {
        CachedResponse empty =
                new CachedResponse(204, HeaderList.of(), new byte[0], 0, new Freshness(Duration.ZERO, Duration.ZERO));

        DiskFormat.Meta meta = decoded(DiskFormat.encodeMeta(empty));

        assertThat(meta.headers().fields()).isEmpty();
        assertThat(meta.bodyLength()).isZero();
    }

    @Test
    void crcChangesWithTheBody() {
        byte[] changed = BODY.clone();
        changed[0] ^= 1;

        assertThat(DiskFormat.crc(changed)).isNotEqualTo(DiskFormat.crc(BODY));
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);

        for (int length = 0; length < encoded.length; length++) {
            assertThat(DiskFormat.decodeMeta(Arrays.copyOf(encoded, length)))
                    .as("truncated to %d of %d bytes", length, encoded.length)
                    .isNull();
        }
    }

    @Test
    void recordsAreWrittenAsStr2() {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);

        assertThat(new String(encoded, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("STR2");
    }

    @Test
    void staleWindowsAndFlagsRoundTrip() {
        for (boolean mustRevalidate : new boolean[] {false, true}) {
            for (boolean noCache : new boolean[] {false, true}) {
                Freshness freshness = new Freshness(
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ofMillis(7),
                        Duration.ofMillis(9),
                        mustRevalidate,
                        noCache);
                CachedResponse response = new CachedResponse(200, HeaderList.of(), BODY, 1, freshness);

                assertThat(decoded(DiskFormat.encodeMeta(response)).freshness()).isEqualTo(freshness);
            }
        }
    }

    @Test
    void wrongMagicIsRejected() {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);
        encoded[3] = '3'; // "STR3"

        assertThat(DiskFormat.decodeMeta(encoded)).isNull();
    }

    @Test
    void str1RecordOfThePreviousBuildIsStillRead() {
        HeaderList headers = HeaderList.of("Content-Type", "text/plain", "Cache-Control", "max-age=60");
        byte[] str1 = str1(200, 1_700_000_000_000L, 60_000, 2_000, BODY, headers);

        DiskFormat.Meta meta = decoded(str1);

        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.storedAtMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(meta.headers()).isEqualTo(headers);
        assertThat(meta.bodyLength()).isEqualTo(BODY.length);
        assertThat(meta.bodyCrc()).isEqualTo(DiskFormat.crc(BODY));
        assertThat(meta.freshness())
                .isEqualTo(new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(2)))
                .extracting(Freshness::staleWhileRevalidate, Freshness::staleIfError)
                .containsExactly(Duration.ZERO, Duration.ZERO);
    }

    @Test
    void str1RecordGetsItsStaleRulesFromItsStoredHeaders() {
        // Written before the rules were kept: a must-revalidate entry must not turn servable stale.
        HeaderList headers = HeaderList.of(
                "Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=600, must-revalidate");

        Freshness freshness = decoded(str1(200, 5, 60_000, 0, BODY, headers)).freshness();

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(freshness.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
        assertThat(freshness.staleIfError()).isEqualTo(Duration.ofMinutes(10));
        assertThat(freshness.mustRevalidate()).isTrue();
        assertThat(freshness.noCache()).isFalse();
        assertThat(decoded(str1(200, 5, 0, 0, BODY, HeaderList.of("Cache-Control", "no-cache")))
                        .freshness()
                        .noCache())
                .isTrue();
    }

    @Test
    void str1TruncationsAndTrailingBytesAreRejected() {
        byte[] str1 = str1(200, 5, 1_000, 0, BODY, HeaderList.of("A", "b"));

        for (int length = 0; length < str1.length; length++) {
            assertThat(DiskFormat.decodeMeta(Arrays.copyOf(str1, length)))
                    .as("truncated to %d of %d bytes", length, str1.length)
                    .isNull();
        }
        assertThat(DiskFormat.decodeMeta(Arrays.copyOf(str1, str1.length + 1))).isNull();
    }

    /** A record as the previous build wrote it (magic "STR1", no stale windows, no flags). */
    private static byte[] str1(
            int status, long storedAt, long lifetimeMillis, long ageMillis, byte[] body, HeaderList headers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write("STR1".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(status);
            out.writeLong(storedAt);
            out.writeLong(lifetimeMillis);
            out.writeLong(ageMillis);
            out.writeInt(body.length);
            out.writeInt(DiskFormat.crc(body));
            out.writeInt(headers.fields().size());
            for (HeaderList.Field field : headers.fields()) {
                byte[] name = field.name().getBytes(StandardCharsets.UTF_8);
                byte[] value = field.value().getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
                out.writeInt(value.length);
                out.write(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void trailingGarbageIsRejected() {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);

        assertThat(DiskFormat.decodeMeta(Arrays.copyOf(encoded, encoded.length + 1)))
                .isNull();
    }

    @Test
    void impossibleValuesAreRejected() {
        assertThat(DiskFormat.decodeMeta(withInt(4, 42))).as("status").isNull();
        assertThat(DiskFormat.decodeMeta(withLong(16, -1))).as("lifetime").isNull();
        assertThat(DiskFormat.decodeMeta(withLong(24, -1))).as("age").isNull();
        assertThat(DiskFormat.decodeMeta(withLong(32, -1)))
                .as("stale-while-revalidate")
                .isNull();
        assertThat(DiskFormat.decodeMeta(withLong(40, -1))).as("stale-if-error").isNull();
        assertThat(DiskFormat.decodeMeta(withInt(48, 4))).as("unknown flag").isNull();
        assertThat(DiskFormat.decodeMeta(withInt(52, -1))).as("body length").isNull();
        assertThat(DiskFormat.decodeMeta(withInt(60, -1))).as("header count").isNull();
        assertThat(DiskFormat.decodeMeta(withInt(60, Integer.MAX_VALUE)))
                .as("header count")
                .isNull();
        assertThat(DiskFormat.decodeMeta(withInt(64, Integer.MAX_VALUE)))
                .as("name length")
                .isNull();
    }

    private static byte[] withInt(int offset, int value) {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);
        ByteBuffer.wrap(encoded).putInt(offset, value);
        return encoded;
    }

    private static byte[] withLong(int offset, long value) {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);
        ByteBuffer.wrap(encoded).putLong(offset, value);
        return encoded;
    }

    @Property
    void anyHeadersRoundTrip(@ForAll("headerLists") HeaderList headers, @ForAll byte[] body) {
        CachedResponse response =
                new CachedResponse(200, headers, body, 5, new Freshness(Duration.ofSeconds(1), Duration.ZERO));

        DiskFormat.Meta meta = decoded(DiskFormat.encodeMeta(response));

        assertThat(meta.headers()).isEqualTo(headers);
        assertThat(meta.bodyLength()).isEqualTo(body.length);
        assertThat(meta.bodyCrc()).isEqualTo(DiskFormat.crc(body));
    }

    @Property
    void decodingArbitraryBytesNeverThrows(@ForAll byte[] bytes) {
        DiskFormat.decodeMeta(bytes);
    }

    @Property
    void flippingAnyByteOfTheMagicOrCountsNeverThrows(@ForAll("offsets") int offset, @ForAll byte xor) {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);
        encoded[offset] ^= xor;

        DiskFormat.decodeMeta(encoded); // null or a valid record, never an exception
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(0, DiskFormat.encodeMeta(RESPONSE).length - 1);
    }

    @Provide
    Arbitrary<HeaderList> headerLists() {
        // Valid UTF-16 only: a lone surrogate has no UTF-8 form.
        Arbitrary<String> text =
                Arbitraries.strings().withCharRange((char) 0, (char) 0xd7ff).ofMaxLength(20);
        return Combinators.combine(text, text)
                .as(HeaderList.Field::new)
                .list()
                .ofMaxSize(10)
                .map((List<HeaderList.Field> fields) -> new HeaderList(fields));
    }
}
