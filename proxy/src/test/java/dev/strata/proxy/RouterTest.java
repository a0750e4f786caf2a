package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.CachePolicyConfig;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final List<URI> ORIGIN = List.of(URI.create("http://127.0.0.1:9"));

    /** Two sites: images for one name, www for every other name under example. */
    private final Router router = Router.forShield(StrataConfig.defaults()
            .withSites(List.of(
                    new SiteConfig("images", List.of("img.example"), ORIGIN, CachePolicyConfig.defaults()),
                    new SiteConfig("www", List.of("*.example"), ORIGIN, CachePolicyConfig.defaults()))));

    private String siteOf(String hostHeader) {
        Route route = router.select(hostHeader);
        return route == null ? "none" : route.site();
    }

    @Test
    void everyHostValueGetsItsOwnSiteWhateverWasSelectedBefore() {
        // Repeated and alternating values: the remembered last selection must never leak.
        for (int i = 0; i < 3; i++) {
            assertThat(siteOf("img.example")).isEqualTo("images");
            assertThat(siteOf("img.example")).isEqualTo("images");
            assertThat(siteOf("IMG.example:8080")).isEqualTo("images");
            assertThat(siteOf("www.example")).isEqualTo("www");
            assertThat(siteOf("other.test")).isEqualTo("none");
            assertThat(siteOf("other.test")).isEqualTo("none");
            assertThat(siteOf("[::1]:80")).isEqualTo("none");
        }
    }

    @Test
    void aTrailingDotIsIgnoredAsTheCacheKeyIgnoresIt() {
        assertThat(siteOf("img.example.")).isEqualTo("images");
        assertThat(siteOf("IMG.example.:8080")).isEqualTo("images");
        assertThat(siteOf("www.example.")).isEqualTo("www");
        assertThat(siteOf("img.example..")).isEqualTo("none");
        assertThat(siteOf(".")).isEqualTo("none");
    }
}
