package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.CachePolicyConfig;
import dev.strata.config.EdgeConfig;
import dev.strata.config.HealthCheckConfig;
import dev.strata.config.OriginServer;
import dev.strata.config.OutlierDetectionConfig;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import dev.strata.upstream.HealthState;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an edge sends upstream and where (issue #4): the site's origin host, the forwarding fields,
 * the origins directly when no shield is available and the site allows it, and a stale entry when
 * no upstream can be reached at all.
 */
class RoutingIT {
    private static final HealthCheckConfig FAST_CHECKS = new HealthCheckConfig(
            true, HealthCheckConfig.NODE_HEALTH_PATH, Duration.ofMillis(100), Duration.ofMillis(500), 2, 2);

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final Nodes nodes = new Nodes();
    private final TestOrigin origin = new TestOrigin();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private SiteConfig site(String originHost, boolean fallbackToOrigins) {
        return new SiteConfig(
                "site",
                List.of("*"),
                List.of(OriginServer.of(origin.uri())),
                SiteConfig.DEFAULT_BALANCER,
                HealthCheckConfig.defaults(),
                OutlierDetectionConfig.defaults(),
                Duration.ZERO,
                CachePolicyConfig.defaults(),
                originHost,
                fallbackToOrigins);
    }

    /** A port nothing listens on: bound by the OS, then released. */
    private static URI deadShield() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void theOriginsGetTheSitesOriginHostAndTheForwardingFields() throws Exception {
        origin.echo("/host", "Host");
        origin.echo("/forwarded", "Forwarded");
        origin.echo("/xff", "X-Forwarded-For");
        ProxyNode edge = nodes.start(
                "edge", "ams", dir.resolve("edge"), Router.forEdge(Nodes.withSite(site("bucket.example", false))));

        assertThat(get(edge.uri(), "/host").body()).endsWith(" Host=bucket.example");
        assertThat(get(edge.uri(), "/forwarded").body()).endsWith(" Forwarded=for=127.0.0.1;proto=http");
        assertThat(get(edge.uri(), "/xff").body()).endsWith(" X-Forwarded-For=127.0.0.1");
    }

    @Test
    void anEdgeGoesToTheOriginsWhenNoShieldIsAvailableAndTheSiteAllowsIt() throws Exception {
        StrataConfig d = StrataConfig.defaults();
        EdgeConfig edgeConfig = new EdgeConfig(
                d.edge().listen(),
                List.of(deadShield()),
                EdgeConfig.DEFAULT_SHIELD_BALANCER,
                FAST_CHECKS,
                OutlierDetectionConfig.defaults(),
                Duration.ZERO,
                d.edge().cache(),
                d.edge().limits(),
                d.edge().upstream());
        StrataConfig config = d.withEdge(edgeConfig).withSites(List.of(site("", true)));
        ProxyNode edge = nodes.start("edge", "ams", dir.resolve("edge"), Router.forEdge(config));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> edge.pools().get(0).health().get(0).status() == HealthState.Status.DOWN);

        HttpResponse<String> direct = get(edge.uri(), "/page.html");

        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEqualTo("GET /page.html #1");
        assertThat(origin.count("/page.html")).isEqualTo(1);
    }

    @Test
    void withoutTheFallbackNoAvailableShieldIsAShortClearError() throws Exception {
        StrataConfig d = StrataConfig.defaults();
        StrataConfig config = d.withEdge(new EdgeConfig(
                        d.edge().listen(),
                        List.of(deadShield()),
                        d.edge().cache(),
                        d.edge().limits(),
                        d.edge().upstream()))
                .withSites(List.of(site("", false)));
        ProxyNode edge = nodes.start("edge", "ams", dir.resolve("edge"), Router.forEdge(config));

        HttpResponse<String> failed = get(edge.uri(), "/page.html");

        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).startsWith("502 Bad Gateway (").doesNotContain("Exception");
        assertThat(origin.count("/page.html")).isZero();
    }

    @Test
    void aStaleEntryAnswersWhenNoUpstreamCanBeReached() throws Exception {
        origin.respond("/app.js", "Cache-Control", "max-age=10");
        ProxyNode edge = nodes.edge(dir.resolve("edge"), origin.uri());
        assertThat(get(edge.uri(), "/app.js").headers().firstValue("X-Cache")).hasValue("MISS");
        origin.close();
        nodes.clock.advance(Duration.ofSeconds(60));

        HttpResponse<String> stale = get(edge.uri(), "/app.js");

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("GET /app.js #1");
        assertThat(stale.headers().firstValue("X-Cache")).hasValue("STALE");
        assertThat(stale.headers().firstValue("Cache-Status").orElse("")).contains("upstream unreachable");
    }
}
