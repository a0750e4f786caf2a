package dev.strata.origin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentTypesTest {
    @Test
    void mapsTheSampleSiteExtensions() {
        assertThat(ContentTypes.of("index.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(ContentTypes.of("site.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(ContentTypes.of("app.js")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(ContentTypes.of("catalog.json")).isEqualTo("application/json");
        assertThat(ContentTypes.of("logo.svg")).isEqualTo("image/svg+xml");
        assertThat(ContentTypes.of("photo.png")).isEqualTo("image/png");
        assertThat(ContentTypes.of("photo.webp")).isEqualTo("image/webp");
        assertThat(ContentTypes.of("inter.woff2")).isEqualTo("font/woff2");
        assertThat(ContentTypes.of("robots.txt")).isEqualTo("text/plain; charset=utf-8");
        assertThat(ContentTypes.of("big.bin")).isEqualTo("application/octet-stream");
    }

    @Test
    void isCaseInsensitiveAndFallsBackToOctetStream() {
        assertThat(ContentTypes.of("PHOTO.JPG")).isEqualTo("image/jpeg");
        assertThat(ContentTypes.of("module.wasm")).isEqualTo("application/wasm");
        assertThat(ContentTypes.of("clip.mp4")).isEqualTo("video/mp4");
        assertThat(ContentTypes.of("favicon.ico")).isEqualTo("image/x-icon");
        assertThat(ContentTypes.of("feed.xml")).isEqualTo("application/xml");
        assertThat(ContentTypes.of("anim.gif")).isEqualTo("image/gif");
        assertThat(ContentTypes.of("README")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.of("archive.")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.of("data.unknownext")).isEqualTo("application/octet-stream");
    }
}
