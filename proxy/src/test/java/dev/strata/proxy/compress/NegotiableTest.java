package dev.strata.proxy.compress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CompressionConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiableTest {
    private final CompressionPolicy policy = CompressionPolicy.of(CompressionConfig.defaults());

    @Test
    void compressibleTypesFollowThePatterns() {
        assertThat(policy.isCompressibleType("text/html; charset=utf-8")).isTrue();
        assertThat(policy.isCompressibleType("Text/CSS")).isTrue();
        assertThat(policy.isCompressibleType("application/json")).isTrue();
        assertThat(policy.isCompressibleType("application/manifest+json")).isTrue();
        assertThat(policy.isCompressibleType("application/rss+xml")).isTrue();
        assertThat(policy.isCompressibleType("image/svg+xml")).isTrue();
        assertThat(policy.isCompressibleType("application/wasm")).isTrue();
        assertThat(policy.isCompressibleType("font/ttf")).isTrue();
        assertThat(policy.isCompressibleType("image/png")).isFalse();
        assertThat(policy.isCompressibleType("font/woff2")).isFalse();
        assertThat(policy.isCompressibleType("application/+json")).isFalse();
        assertThat(policy.isCompressibleType("application/octet-stream")).isFalse();
        assertThat(policy.isCompressibleType("text")).isFalse();
        assertThat(policy.isCompressibleType(null)).isFalse();
    }

    @Test
    void anEncodedOrNoTransformResponseIsNotNegotiable() {
        assertThat(policy.isNegotiable(HeaderList.of("Content-Type", "text/css")))
                .isTrue();
        assertThat(policy.isNegotiable(HeaderList.of("Content-Type", "text/css", "Content-Encoding", "gzip")))
                .isFalse();
        assertThat(policy.isNegotiable(
                        HeaderList.of("Content-Type", "text/css", "Cache-Control", "max-age=60, No-Transform")))
                .isFalse();
        assertThat(CompressionPolicy.off().isNegotiable(HeaderList.of("Content-Type", "text/css")))
                .isFalse();
        assertThat(policy.sizeFits(255)).isFalse();
        assertThat(policy.sizeFits(256)).isTrue();
        assertThat(policy.sizeFits(8L << 20)).isTrue();
        assertThat(policy.sizeFits((8L << 20) + 1)).isFalse();
    }

    @Test
    void everyFormVariesOnAcceptEncodingMergedIntoTheResponsesVary() {
        Negotiable forms = java.util.Objects.requireNonNull(
                Negotiable.of(
                        HeaderList.of(
                                "Content-Type", "text/css", "Vary", "Accept-Language", "Vary", "Origin", "X-A", "1"),
                        policy),
                "negotiable");

        assertThat(forms.identity().all("Vary")).containsExactly("Accept-Language, Origin, Accept-Encoding");
        assertThat(forms.identity().fields().get(1).name()).isEqualTo("Vary");
        assertThat(forms.encoded(ContentCoding.BR).all("Vary"))
                .containsExactly("Accept-Language, Origin, Accept-Encoding");
        assertThat(Negotiable.withVary(HeaderList.of("Vary", "accept-encoding")).all("Vary"))
                .containsExactly("accept-encoding");
        assertThat(Negotiable.withVary(HeaderList.of("Vary", "*")).all("Vary")).containsExactly("*");
        assertThat(Negotiable.withVary(HeaderList.of()).all("Vary")).containsExactly("Accept-Encoding");
    }

    @Test
    void anEncodedFormHasItsOwnTagAndNoFieldsOfTheIdentitysBytes() {
        HeaderList headers = HeaderList.of(
                "Content-Type", "text/css",
                "ETag", "\"v1\"",
                "Accept-Ranges", "bytes",
                "Content-Digest", "sha-256=:x:",
                "Last-Modified", "Mon, 23 Nov 2026 12:00:00 GMT");

        HeaderList br = Negotiable.encoded(headers, ContentCoding.BR);

        assertThat(br.first("ETag")).isEqualTo("\"v1-br\"");
        assertThat(br.first("Content-Encoding")).isEqualTo("br");
        assertThat(br.contains("Accept-Ranges")).isFalse();
        assertThat(br.contains("Content-Digest")).isFalse();
        assertThat(br.first("Last-Modified")).isEqualTo("Mon, 23 Nov 2026 12:00:00 GMT");
        assertThat(Negotiable.suffixed("W/\"a b\"", ContentCoding.GZIP)).isEqualTo("W/\"a b-gzip\"");
        assertThat(Negotiable.suffixed(" \"\" ", ContentCoding.BR)).isEqualTo("\"-br\"");
        assertThat(Negotiable.suffixed("unquoted", ContentCoding.BR)).isNull();
        assertThat(Negotiable.encoded(HeaderList.of("ETag", "bad"), ContentCoding.BR)
                        .contains("ETag"))
                .isFalse();
        assertThat(List.of(ContentCoding.values()))
                .extracting(ContentCoding::token)
                .containsExactly("br", "gzip");
    }
}
