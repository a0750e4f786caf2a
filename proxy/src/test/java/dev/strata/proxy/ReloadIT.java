package dev.strata.proxy;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import dev.strata.upstream.UpstreamPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running edge reloads its configuration: new requests follow the new file at once, requests in
 * flight finish as they started, the cache and the pools left alone are kept, and a file that is not
 * valid changes nothing.
 */
class ReloadIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final NamedOrigin a = new NamedOrigin("A");
    private final NamedOrigin b = new NamedOrigin("B");
    private final NamedOrigin c = new NamedOrigin("C");
    /** What the node's configuration file says now: each reload reads it again. */
    private volatile String file = "";

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        a.close();
        b.close();
        c.close();
    }

    /** An edge named ams in front of one site, with an admin listener; {@code extra} goes at the end. */
    private String yaml(URI origin, String listen, String extra) {
        return String.format(
                Locale.ROOT,
                """
                node:
                  name: ams
                edge:
                  listen: %s
                  cache:
                    dir: %s
                admin:
                  enabled: true
                  listen: 127.0.0.1:0
                sites:
                  - name: static
                    origins: [%s]
                %s""",
                listen,
                dir.resolve("edge"),
                origin,
                extra);
    }

    private String yaml(URI origin) {
        return yaml(origin, "127.0.0.1:0", "");
    }

    private void write(String yaml) {
        file = yaml;
    }

    private StrataConfig load() {
        return ConfigLoader.parse(file, "strata.yaml");
    }

    private ProxyNode start(String yaml) {
        write(yaml);
        StrataConfig config = load();
        return nodes.track(ProxyNode.start(
                ProxyNode.Spec.forEdge(config, nodes.clock),
                new ReloadSource(config, this::load, next -> ProxyNode.Spec.forEdge(next, nodes.clock))));
    }

    private HttpRequest request(ProxyNode node, String path) {
        return HttpRequest.newBuilder(node.uri().resolve(path)).build();
    }

    private HttpResponse<String> get(ProxyNode node, String path) throws Exception {
        return http.send(request(node, path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI reloadUri(ProxyNode node) {
        return node.adminUri().orElseThrow().resolve("/reload");
    }

    @Test
    void newRequestsGoToTheNewOriginWhileOneInFlightFinishesWithTheOldAndTheCacheStays() throws Exception {
        ProxyNode edge = start(yaml(a.uri()));
        assertThat(get(edge, "/cached.css").body()).isEqualTo("A /cached.css");
        CompletableFuture<HttpResponse<String>> inFlight =
                http.sendAsync(request(edge, "/held.css"), HttpResponse.BodyHandlers.ofString());
        await().atMost(PATIENCE).until(() -> a.held() == 1);

        write(yaml(b.uri()));
        ReloadResult result = edge.reload();

        assertThat(result)
                .isEqualTo(new ReloadResult.Applied(List.of("sites[0].origins[0].url"), List.of(), List.of()));
        assertThat(get(edge, "/fresh.css").body()).isEqualTo("B /fresh.css");
        HttpResponse<String> cached = get(edge, "/cached.css");
        assertThat(cached.body()).isEqualTo("A /cached.css");
        assertThat(cached.headers().firstValue("X-Cache")).hasValue("HIT");
        a.release();
        HttpResponse<String> finished = inFlight.get(10, SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("A /held.css");
        assertThat(b.requests()).isEqualTo(1);
        assertThat(edge.pools()).hasSize(1);
        assertThat(edge.pools().get(0).upstreams().get(0).uri()).isEqualTo(b.uri());
        // The per-host meters follow the pools: the old origin's are gone, the new one's count.
        String hostB = NodeMetrics.hostTag(b.uri());
        assertThat(edge.metrics().registry().find("strata.upstream.requests").functionTimers())
                .extracting(timer -> timer.getId().getTag("host"))
                .containsExactly(hostB);
        assertThat(edge.metrics()
                        .registry()
                        .get("strata.upstream.requests")
                        .tag("host", hostB)
                        .functionTimer()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aFileThatIsNotValidIsRejectedNamingItsLineAndTheRunningConfigurationStays() throws Exception {
        ProxyNode edge = start(yaml(a.uri()));

        write(yaml(b.uri()).replace("  name: ams\n", "  name: ams\n  drain-timeout: soon\n"));
        ReloadResult invalid = edge.reload();
        write(yaml(b.uri()).substring(0, yaml(b.uri()).indexOf("sites:")));
        ReloadResult nothingToFetchFrom = edge.reload();

        assertThat(invalid).isInstanceOf(ReloadResult.Rejected.class);
        assertThat(((ReloadResult.Rejected) invalid).reason())
                .startsWith("strata.yaml:3: node.drain-timeout: \"soon\" is not a duration");
        assertThat(invalid.text()).endsWith("\nthe running configuration is kept\n");
        assertThat(nothingToFetchFrom).isInstanceOf(ReloadResult.Rejected.class);
        assertThat(((ReloadResult.Rejected) nothingToFetchFrom).reason()).startsWith("edge: nothing to fetch from");
        assertThat(get(edge, "/after.css").body()).isEqualTo("A /after.css");
        assertThat(b.requests()).isZero();
    }

    @Test
    void keysOnlyARestartAppliesKeepTheirRunningValueAndAreReportedUntilThen() throws Exception {
        ProxyNode edge = start(yaml(a.uri()));
        URI started = edge.uri();

        write(yaml(a.uri(), "127.0.0.1:1", "shield:\n  listen: 127.0.0.1:7070\n")
                .replace("    dir:", "    memory: 64MiB\n    dir:"));
        ReloadResult first = edge.reload();
        ReloadResult again = edge.reload();
        write(yaml(a.uri()));
        ReloadResult reverted = edge.reload();

        assertThat(first)
                .isEqualTo(new ReloadResult.Applied(
                        List.of(),
                        // the memory object limit follows memory (ADR 0015)
                        List.of("edge.listen", "edge.cache.memory", "edge.cache.max-memory-object-size"),
                        List.of("shield.listen")));
        assertThat(first.text())
                .isEqualTo(
                        """
                        reloaded
                        changed: nothing
                        needs restart (running with the values it started with): edge.listen, edge.cache.memory, \
                        edge.cache.max-memory-object-size
                        not read by this node: shield.listen
                        """);
        assertThat(again)
                .as("still due, though nothing changed since")
                .isEqualTo(new ReloadResult.Applied(
                        List.of(),
                        List.of("edge.listen", "edge.cache.memory", "edge.cache.max-memory-object-size"),
                        List.of()));
        assertThat(reverted).isEqualTo(new ReloadResult.Applied(List.of(), List.of(), List.of("shield.listen")));
        assertThat(edge.uri()).isEqualTo(started);
        assertThat(get(edge, "/a.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aShieldReadsItsOwnSectionAndTheSites() throws Exception {
        String yaml = yaml(a.uri()).replace("edge:", "shield:");
        write(yaml);
        StrataConfig config = load();
        ProxyNode shield = nodes.track(ProxyNode.start(
                ProxyNode.Spec.forShield(config, nodes.clock),
                new ReloadSource(config, this::load, next -> ProxyNode.Spec.forShield(next, nodes.clock))));

        write(yaml(b.uri())
                        .replace("edge:", "shield:")
                        .replace("  cache:\n", "  upstream:\n    max-connections-per-host: 8\n  cache:\n")
                + "edge:\n  listen: 127.0.0.1:1\n");
        ReloadResult result = shield.reload();

        assertThat(result)
                .isEqualTo(new ReloadResult.Applied(
                        List.of("shield.upstream.max-connections-per-host", "sites[0].origins[0].url"),
                        List.of(),
                        List.of("edge.listen")));
        assertThat(get(shield, "/s.css").body()).isEqualTo("B /s.css");
    }

    @Test
    void newLimitsApplyToTheNextRequest() throws Exception {
        ProxyNode edge = start(yaml(a.uri()));
        String longPath = "/" + "x".repeat(200);
        assertThat(get(edge, longPath).statusCode()).isEqualTo(200);

        write(yaml(a.uri()).replace("  cache:\n", "  limits:\n    max-uri-length: 100\n  cache:\n"));
        ReloadResult result = edge.reload();

        assertThat(result)
                .isEqualTo(new ReloadResult.Applied(List.of("edge.limits.max-uri-length"), List.of(), List.of()));
        HttpResponse<String> refused = get(edge, longPath);
        assertThat(refused.statusCode()).isEqualTo(414);
        assertThat(refused.body()).isEqualTo("414 URI Too Long (limit 100B, got 201)\n");
    }

    @Test
    void poolsLeftAloneKeepTheirStateAndHealthChecksMoveToTheNewOnes() throws Exception {
        String base = yaml(a.uri());
        ProxyNode edge = start(base.substring(0, base.indexOf("sites:"))
                + String.format(
                        Locale.ROOT,
                        """
                sites:
                  - name: www
                    hosts: [localhost]
                    origins: [%s]
                    health-check: {enabled: true, path: /health, interval: 50ms}
                  - name: static
                    origins: [%s]
                    health-check: {enabled: true, path: /health, interval: 50ms}
                """,
                        b.uri(),
                        a.uri()));
        await().atMost(PATIENCE).until(() -> a.checks() >= 2 && b.checks() >= 2);
        List<UpstreamPool> before = edge.pools();

        write(file.replace("origins: [" + b.uri() + "]", "origins: [" + c.uri() + "]"));
        ReloadResult result = edge.reload();

        assertThat(result)
                .isEqualTo(new ReloadResult.Applied(List.of("sites[0].origins[0].url"), List.of(), List.of()));
        List<UpstreamPool> after = edge.pools();
        assertThat(after.get(0)).isNotSameAs(before.get(0));
        assertThat(after.get(1)).as("the pool of the site left alone").isSameAs(before.get(1));
        await().atMost(PATIENCE).until(() -> c.checks() >= 2);
        int removedChecks = b.checks();
        int keptChecks = a.checks();
        await().atMost(PATIENCE).until(() -> c.checks() >= 8);
        assertThat(b.checks()).as("checks of the removed pool").isEqualTo(removedChecks);
        assertThat(a.checks()).as("checks of the pool kept").isGreaterThan(keptChecks);
        URI www = URI.create("http://localhost:" + edge.port() + "/www.css");
        assertThat(http.send(HttpRequest.newBuilder(www).build(), HttpResponse.BodyHandlers.ofString())
                        .body())
                .isEqualTo("C /www.css");
        assertThat(get(edge, "/static.css").body()).isEqualTo("A /static.css");
    }

    @Test
    void postReloadOnTheAdminListenerAnswersWhatChangedOrWhyNothingDid() throws Exception {
        ProxyNode edge = start(yaml(a.uri()));

        write(yaml(b.uri()));
        HttpResponse<String> applied =
                admin(HttpRequest.newBuilder(reloadUri(edge)).POST(HttpRequest.BodyPublishers.noBody()));
        write(yaml(c.uri()).replace("  name: ams\n", "  name: ams\n  nmae: typo\n"));
        HttpResponse<String> rejected =
                admin(HttpRequest.newBuilder(reloadUri(edge)).POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> notPost = admin(HttpRequest.newBuilder(reloadUri(edge)));

        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(applied.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(applied.body()).isEqualTo("reloaded\nchanged: sites[0].origins[0].url\n");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body())
                .startsWith("rejected: strata.yaml:3: node.nmae: unknown key (did you mean \"name\"?)\n")
                .endsWith("the running configuration is kept\n");
        assertThat(notPost.statusCode()).isEqualTo(405);
        assertThat(notPost.headers().firstValue("Allow")).hasValue("POST");
        assertThat(get(edge, "/after.css").body()).isEqualTo("B /after.css");
    }
}
