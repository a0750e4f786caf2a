package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void emptyTextGivesTheDefaults() {
        assertThat(ConfigLoader.parse("", "strata.yaml")).isEqualTo(StrataConfig.defaults());
    }

    @Test
    void onlyCommentsGiveTheDefaults() {
        assertThat(ConfigLoader.parse("# nothing here yet\n\n# still nothing\n", "strata.yaml"))
                .isEqualTo(StrataConfig.defaults());
    }

    @Test
    void emptySectionsGiveTheirDefaults() {
        assertThat(ConfigLoader.parse("edge:\nshield: {}\nsites:\nwaf:\n", "strata.yaml"))
                .isEqualTo(StrataConfig.defaults());
    }

    @Test
    void noFileAndNoFlagsGiveTheDefaults() {
        assertThat(ConfigLoader.load(null, Map.of())).isEqualTo(StrataConfig.defaults());
    }

    @Test
    void emptyFileGivesTheDefaults(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("strata.yaml"));
        assertThat(ConfigLoader.load(file)).isEqualTo(StrataConfig.defaults());
    }

    @Test
    void keysLeftOutKeepTheirDefaults() {
        StrataConfig config = ConfigLoader.parse("edge:\n  cache:\n    memory: 1GiB\n", "strata.yaml");

        CacheConfig defaults = EdgeConfig.defaults().cache();
        assertThat(config.edge().cache())
                .isEqualTo(new CacheConfig(
                        defaults.dir(), ByteSize.ofGibibytes(1), defaults.disk(), defaults.maxObjectSize()));
        assertThat(config.edge().listen()).isEqualTo(EdgeConfig.defaults().listen());
        assertThat(config.shield()).isEqualTo(ShieldConfig.defaults());
    }

    @Test
    void theMemoryObjectLimitFollowsTheMemoryBudgetUnlessGiven() {
        StrataConfig config = ConfigLoader.parse(
                """
                edge:
                  cache:
                    memory: 64MiB
                shield:
                  cache:
                    memory: 8GiB
                """,
                "strata.yaml");
        StrataConfig given = ConfigLoader.parse(
                "edge:\n  cache:\n    memory: 64MiB\n    max-memory-object-size: 16MiB\n", "strata.yaml");

        assertThat(config.edge().cache().maxMemoryObjectSize()).isEqualTo(ByteSize.ofMebibytes(1));
        assertThat(config.shield().cache().maxMemoryObjectSize()).isEqualTo(ByteSize.ofMebibytes(8));
        assertThat(StrataConfig.defaults().edge().cache().maxMemoryObjectSize()).isEqualTo(ByteSize.ofMebibytes(4));
        assertThat(given.edge().cache().maxMemoryObjectSize()).isEqualTo(ByteSize.ofMebibytes(16));
    }

    @Test
    void everyKindOfValueIsRead() {
        StrataConfig config = ConfigLoader.parse(
                """
        node:
          name: ams-1
        edge:
          listen: "[::1]:8443"
          shields: [http://10.0.0.1:8070/, https://shield.example.com:8443/base]
          cache:
            dir: /var/lib/strata/edge
            max-object-size: 10MB
          limits:
            max-headers: 50
          upstream:
            connect-timeout: 750ms
            response-timeout: 2m
        sites:
          - origins: [http://127.0.0.1:8000]
          - name: images
            hosts: [img.example.com, "*.img.example.com"]
            origins: [http://10.0.1.1:80, http://10.0.1.2:80]
            cache:
              sort-query: false
              drop-query-params: [utm_*, fbclid]
              heuristic-fraction: 0.25
              max-stale: 0
        waf:
          enabled: TRUE
          allow: ["::1/128"]
        rate-limits:
          requests-per-second: 2.5
          burst: 10
        """,
                "strata.yaml");

        assertThat(config.node().name()).isEqualTo("ams-1");
        assertThat(config.edge().listen()).isEqualTo(ListenAddress.of("::1", 8443));
        assertThat(config.edge().shields())
                .containsExactly(
                        URI.create("http://10.0.0.1:8070"), URI.create("https://shield.example.com:8443/base"));
        assertThat(config.edge().cache().dir()).isEqualTo(Path.of("/var/lib/strata/edge"));
        assertThat(config.edge().cache().maxObjectSize()).isEqualTo(ByteSize.ofBytes(10_000_000));
        assertThat(config.edge().limits().maxHeaders()).isEqualTo(50);
        assertThat(config.edge().upstream())
                .isEqualTo(new UpstreamConfig(Duration.ofMillis(750), Duration.ofMinutes(2), 256));
        assertThat(config.sites())
                .containsExactly(
                        new SiteConfig(
                                "site-1",
                                List.of("*"),
                                List.of(URI.create("http://127.0.0.1:8000")),
                                CachePolicyConfig.defaults()),
                        new SiteConfig(
                                "images",
                                List.of("img.example.com", "*.img.example.com"),
                                List.of(URI.create("http://10.0.1.1:80"), URI.create("http://10.0.1.2:80")),
                                new CachePolicyConfig(
                                        false,
                                        false,
                                        List.of("utm_*", "fbclid"),
                                        false,
                                        false,
                                        0.25,
                                        Duration.ofDays(1),
                                        Duration.ZERO)));
        assertThat(config.waf()).isEqualTo(new WafConfig(true, List.of("::1/128"), List.of()));
        assertThat(config.rateLimits()).isEqualTo(new RateLimitConfig(false, 2.5, 10));
    }

    @Test
    void flagsBeatTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strata.yaml");
        Files.writeString(
                file,
                """
        node:
          name: ams
        edge:
          listen: 0.0.0.0:80
          cache:
            dir: /var/cache/strata
        """,
                StandardCharsets.UTF_8);

        StrataConfig config = ConfigLoader.load(
                file,
                Map.of(
                        "edge.listen", "127.0.0.1:18080",
                        "edge.shields", List.of("http://127.0.0.1:8070", "http://127.0.0.1:8071"),
                        "shield.cache.dir", "/tmp/shield",
                        "origin.cache-control", "no-store"));

        assertThat(config.node().name()).isEqualTo("ams");
        assertThat(config.edge().listen()).isEqualTo(ListenAddress.of("127.0.0.1", 18080));
        assertThat(config.edge().cache().dir()).isEqualTo(Path.of("/var/cache/strata"));
        assertThat(config.edge().shields())
                .containsExactly(URI.create("http://127.0.0.1:8070"), URI.create("http://127.0.0.1:8071"));
        assertThat(config.shield().cache().dir()).isEqualTo(Path.of("/tmp/shield"));
        assertThat(config.origin().cacheControl()).isEqualTo("no-store");
    }

    @Test
    void flagsApplyToTheDefaultsWithoutAFile() {
        StrataConfig config = ConfigLoader.load(null, Map.of("node.name", "fra", "edge.cache.memory", "64MiB"));

        assertThat(config.node()).isEqualTo(new NodeConfig("fra"));
        assertThat(config.edge().cache().memory()).isEqualTo(ByteSize.ofMebibytes(64));
        assertThat(config.shield()).isEqualTo(ShieldConfig.defaults());
    }

    @Test
    void listFlagGivenAsOneStringIsSplitAtCommas() {
        StrataConfig config = ConfigLoader.load(null, Map.of("edge.shields", "http://a:8070, http://b:8070"));

        assertThat(config.edge().shields()).containsExactly(URI.create("http://a:8070"), URI.create("http://b:8070"));
    }

    @Test
    void flagIsCheckedLikeTheFileWithItsOwnSource() {
        StrataConfig config = ConfigLoader.load(null, Map.of("admin.enabled", "false", "edge.limits.max-headers", "7"));

        assertThat(config.admin().enabled()).isFalse();
        assertThat(config.edge().limits().maxHeaders()).isEqualTo(7);
    }
}
