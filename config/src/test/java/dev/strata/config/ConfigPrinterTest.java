package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {

    @Test
    void defaultsSurviveRenderAndParse() {
        StrataConfig defaults = StrataConfig.defaults();

        assertThat(ConfigLoader.parse(ConfigPrinter.render(defaults), "rendered"))
                .isEqualTo(defaults);
    }

    @Test
    void everyValueSurvivesRenderAndParse() {
        StrataConfig config = new StrataConfig(
                new NodeConfig("ams-1"),
                new EdgeConfig(
                        ListenAddress.of("::", 443),
                        List.of(URI.create("http://10.0.0.1:8070"), URI.create("https://s.example.com/base")),
                        new CacheConfig(
                                Path.of("/var/lib/strata edge"),
                                ByteSize.ofBytes(1_000_000),
                                ByteSize.ofGibibytes(20),
                                ByteSize.ofKibibytes(1536)),
                        new LimitsConfig(ByteSize.ofBytes(4000), ByteSize.ofKibibytes(16), 64, ByteSize.ofBytes(0)),
                        new UpstreamConfig(Duration.ofMillis(1500), Duration.ofMinutes(90), 8)),
                ShieldConfig.defaults(),
                List.of(
                        SiteConfig.anyHost(List.of(URI.create("http://127.0.0.1:8000"))),
                        new SiteConfig(
                                "true",
                                List.of("*.example.com", "example.com"),
                                List.of(URI.create("http://[::1]:8000")),
                                new CachePolicyConfig(
                                        false,
                                        true,
                                        List.of("utm_*", "null", "*"),
                                        true,
                                        true,
                                        0.0,
                                        Duration.ofSeconds(1, 5),
                                        Duration.ZERO))),
                new WafConfig(true, List.of("10.0.0.0/8", "2001:db8::/32"), List.of("0.0.0.0/0")),
                new RateLimitConfig(true, 1e-3, 1),
                new PurgeApiConfig(ListenAddress.of("localhost", 0), Path.of("purge: log"))
                        .withLog(PurgeLogConfig.nats(new NatsLogConfig(
                                List.of(URI.create("tls://[::1]:4223"), URI.create("nats://nats-2.example.com:4222")),
                                "strata-purge_2",
                                3,
                                List.of(Path.of("/etc/strata/purge: api.creds")),
                                Duration.ofMillis(2500),
                                Duration.ofSeconds(90)))),
                new AdminConfig(false, ListenAddress.of("127.0.0.1", 9091)),
                new AccessLogConfig(false, "json", Path.of("/var/log/strata/{name}.log"), ByteSize.ofKibibytes(64), 1),
                new ServerTimingConfig(true),
                new OriginConfig(
                        ListenAddress.of("127.0.0.1", 8001), Path.of("."), "public, max-age=\"60\" # not a comment"));

        String rendered = ConfigPrinter.render(config);

        assertThat(ConfigLoader.parse(rendered, "rendered")).isEqualTo(config);
    }

    @Test
    void rendersTheLayoutItReads() {
        String rendered = ConfigPrinter.render(StrataConfig.defaults());

        assertThat(rendered)
                .startsWith("node:\n  name: strata\n  purge-api: []\n  io-threads: 0\n  drain-timeout: 30s\nedge:\n"
                        + "  listen: 127.0.0.1:8080\n  shields: []\n"
                        + "  shield-balancer: consistent-hash\n  shield-health-check:\n    enabled: true\n")
                .contains("    max-object-size: 64MiB\n")
                .contains("    connect-timeout: 2s\n")
                .contains("sites: []\n")
                .contains("rate-limits:\n  enabled: false\n  requests-per-second: 100.0\n  burst: 200\n");
    }
}
