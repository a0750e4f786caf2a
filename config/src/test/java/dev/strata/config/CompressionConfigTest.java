package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressionConfigTest {
    private static ConfigException rejected(String yaml) {
        try {
            ConfigLoader.parse(yaml, "strata.yaml");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void defaultsCompressTextAndNotImages() {
        CompressionConfig defaults = StrataConfig.defaults().edge().compression();

        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.types()).contains("text/*", "application/*+json", "image/svg+xml", "font/ttf");
        assertThat(defaults.types()).doesNotContain("image/png", "font/woff2", "image/*");
        assertThat(defaults.brotliQuality()).isEqualTo(5);
        assertThat(defaults.gzipLevel()).isEqualTo(6);
    }

    @Test
    void typesAreReadCaseInsensitivelyAndEachIsChecked() {
        StrataConfig config = ConfigLoader.parse(
                """
                edge:
                  compression:
                    types: [Text/CSS, application/*+XML]
                    min-size: 1KiB
                    brotli-quality: 11
                """,
                "strata.yaml");

        assertThat(config.edge().compression().types()).containsExactly("text/css", "application/*+xml");
        assertThat(config.edge().compression().minSize()).isEqualTo(ByteSize.ofKibibytes(1));
        assertThat(rejected(
                                """
                edge:
                  compression:
                    types: [text/css, "image/*png"]
                """)
                        .getMessage())
                .isEqualTo("strata.yaml:3: edge.compression.types[1]: \"image/*png\" is not a media type (expected:"
                        + " type/subtype, type/* or type/*+suffix, e.g. text/* or application/*+json)");
    }

    @Test
    void levelsAndSizesAreBounded() {
        assertThat(rejected("edge:\n  compression:\n    brotli-quality: 12\n").getMessage())
                .isEqualTo(
                        "strata.yaml:3: edge.compression.brotli-quality: \"12\" is out of range (expected: 0 to 11)");
        assertThat(rejected("edge:\n  compression:\n    gzip-level: 0\n").getMessage())
                .isEqualTo("strata.yaml:3: edge.compression.gzip-level: \"0\" is out of range (expected: 1 to 9)");
        assertThat(rejected("edge:\n  compression:\n    min-size: 2MiB\n    max-size: 1MiB\n")
                        .getMessage())
                .startsWith(
                        "strata.yaml:4: edge.compression.max-size: \"1MiB\" is out of range (expected: >= min-size");
        assertThatThrownBy(() -> new CompressionConfig(
                        true, List.of("Text/css"), ByteSize.ofBytes(0), ByteSize.ofBytes(1), 5, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFlagTurnsItOff() {
        StrataConfig config = ConfigLoader.load(null, Map.of("edge.compression.enabled", "false"));

        assertThat(config.edge().compression().enabled()).isFalse();
        assertThat(ConfigDiff.changes(StrataConfig.defaults(), config)).containsExactly("edge.compression.enabled");
    }
}
