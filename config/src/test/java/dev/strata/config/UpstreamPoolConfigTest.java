package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys of upstream pools: origins with weights, balancers, health checks, outlier detection. */
class UpstreamPoolConfigTest {
    private static void assertRejected(String yaml, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "strata.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void originsMixUrlsAndMapsWithWeights() {
        StrataConfig config = ConfigLoader.parse(
                """
                sites:
                  - origins: [http://a:80, {url: http://b:80, weight: 3}]
                    balancer: least-connections
                    health-check: {enabled: true, path: /healthz, interval: 50ms}
                    outlier-detection: {consecutive-failures: 2, max-ejected-percent: 34}
                    slow-start: 0
                """,
                "strata.yaml");

        SiteConfig site = config.sites().get(0);
        assertThat(site.origins())
                .containsExactly(
                        new OriginServer(URI.create("http://a:80"), 1), new OriginServer(URI.create("http://b:80"), 3));
        assertThat(site.balancer()).isEqualTo("least-connections");
        assertThat(site.healthCheck())
                .isEqualTo(new HealthCheckConfig(true, "/healthz", Duration.ofMillis(50), Duration.ofSeconds(2), 3, 2));
        assertThat(site.outlierDetection())
                .isEqualTo(new OutlierDetectionConfig(2, Duration.ofSeconds(30), Duration.ofMinutes(5), 34));
        assertThat(site.slowStart()).isZero();
        assertThat(ConfigLoader.parse(ConfigPrinter.render(config), "rendered")).isEqualTo(config);
        assertThat(ConfigPrinter.render(config)).contains("- http://a:80\n").contains("url: http://b:80\n");
    }

    @Test
    void plainOriginListKeepsTheDefaultPool() {
        SiteConfig site = ConfigLoader.parse("sites:\n  - origins: [http://a:80]\n", "strata.yaml")
                .sites()
                .get(0);

        assertThat(site)
                .isEqualTo(
                        SiteConfig.anyHost(List.of(URI.create("http://a:80"))).withName("site-1"));
    }

    @Test
    void edgeChecksItsShieldsByDefaultAndSitesDoNot() {
        StrataConfig defaults = StrataConfig.defaults();

        assertThat(defaults.edge().shieldHealthCheck().enabled()).isTrue();
        assertThat(defaults.edge().shieldHealthCheck().path()).isEqualTo(HealthCheckConfig.NODE_HEALTH_PATH);
        assertThat(defaults.edge().shieldBalancer()).isEqualTo("consistent-hash");
        assertThat(HealthCheckConfig.defaults().enabled()).isFalse();
    }

    @Test
    void unknownBalancerListsTheNames() {
        assertRejected(
                "sites:\n  - origins: [http://a:80]\n    balancer: random\n",
                "strata.yaml:3: sites[0].balancer: \"random\" is not a balancer (expected: one of round-robin,"
                        + " weighted-round-robin, least-connections, least-time, ip-hash, consistent-hash)");
    }

    @Test
    void originMapWithoutUrlIsMissingIt() {
        assertRejected(
                "sites:\n  - origins: [{weight: 2}]\n",
                "strata.yaml:2: sites[0].origins[0].url: missing (expected: the origin's URL, e.g."
                        + " {url: http://127.0.0.1:8000, weight: 2})");
    }

    @Test
    void zeroWeightIsOutOfRange() {
        assertRejected(
                "sites:\n  - origins: [{url: http://a:80, weight: 0}]\n",
                "strata.yaml:2: sites[0].origins[0].weight: \"0\" is out of range (expected: >= 1)");
    }

    @Test
    void maxEjectionBelowBaseIsRejected() {
        assertRejected(
                "edge:\n  shield-outlier-detection:\n    base-ejection: 1m\n    max-ejection: 10s\n",
                "strata.yaml:4: edge.shield-outlier-detection.max-ejection: \"10s\" is out of range"
                        + " (expected: >= base-ejection, PT1M)");
    }

    @Test
    void healthCheckPathMustBeAPath() {
        assertRejected(
                "edge:\n  shield-health-check:\n    path: healthz\n",
                "strata.yaml:3: edge.shield-health-check.path: \"healthz\" is out of range"
                        + " (expected: a path starting with /)");
    }
}
