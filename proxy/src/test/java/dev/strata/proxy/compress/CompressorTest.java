package dev.strata.proxy.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.decoder.Decoder;
import dev.strata.config.CompressionConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressorTest {
    private static final byte[] TEXT =
            "body { color: #123456; margin: 0 auto; }\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    private final CompressionPolicy policy = CompressionPolicy.of(CompressionConfig.defaults());

    @Test
    void brotliLoadsOnThisPlatformAndRoundTrips() throws Exception {
        Compressor compressor = Compressor.available();

        assertThat(compressor.brotli())
                .as("the native library for linux-x86_64 loads")
                .isTrue();
        byte[] br = compressor.compress(ContentCoding.BR, TEXT, policy);
        assertThat(br.length).isLessThan(TEXT.length / 10);
        assertThat(Decoder.decompress(br).getDecompressedData()).isEqualTo(TEXT);
    }

    @Test
    void gzipRoundTripsAtEveryLevelAndHigherLevelsAreNoLarger() throws Exception {
        Compressor compressor = new Compressor(false);
        int fastest = Compressor.gzip(TEXT, 1).length;
        int smallest = Compressor.gzip(TEXT, 9).length;

        byte[] gzip = compressor.compress(ContentCoding.GZIP, TEXT, policy);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            assertThat(in.readAllBytes()).isEqualTo(TEXT);
        }
        assertThat(smallest).isLessThanOrEqualTo(fastest);
        assertThat(Compressor.gzip(TEXT, 6)).as("reproducible").isEqualTo(gzip);
    }

    @Test
    void withoutBrotliOnlyGzipIsOffered() {
        Compressor gzipOnly = new Compressor(false);

        assertThat(gzipOnly.brotli()).isFalse();
        assertThatThrownBy(() -> gzipOnly.compress(ContentCoding.BR, TEXT, policy))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Brotli is not available");
    }
}
