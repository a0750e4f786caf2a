package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
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
            new Freshness(Duration.ofMillis(60_500), Duration.ofMillis(1_250)));

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
    void wrongMagicIsRejected() {
        byte[] encoded = DiskFormat.encodeMeta(RESPONSE);
        encoded[3] = '2'; // "STR2"

        assertThat(DiskFormat.decodeMeta(encoded)).isNull();
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
        assertThat(DiskFormat.decodeMeta(withInt(32, -1))).as("body length").isNull();
        assertThat(DiskFormat.decodeMeta(withInt(40, -1))).as("header count").isNull();
        assertThat(DiskFormat.decodeMeta(withInt(40, Integer.MAX_VALUE)))
                .as("header count")
                .isNull();
        assertThat(DiskFormat.decodeMeta(withInt(44, Integer.MAX_VALUE)))
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
