package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.origin.OriginServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code strata edge} process reloads its configuration file (issue #7): on SIGHUP and on
 * {@code POST /reload} of its admin listener, requests go to the new origin while a keep-alive
 * connection opened before goes on working; a broken file is rejected with its line and the running
 * configuration stays; the command line's flags stay on top of the file.
 */
class ReloadProcessIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    @SuppressWarnings("NullAway.Init")
    private OriginServer a;

    @SuppressWarnings("NullAway.Init")
    private OriginServer b;

    @SuppressWarnings("NullAway.Init")
    private Path config;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Two origins whose {@code /who.txt} names them, never cached. */
    @BeforeEach
    void startOrigins() throws IOException {
        a = origin("A");
        b = origin("B");
        config = dir.resolve("strata.yaml");
    }

    private OriginServer origin(String name) throws IOException {
        Path site = Files.createDirectories(dir.resolve("site-" + name));
        Files.writeString(site.resolve("who.txt"), name + "\n");
        return OriginServer.start(new OriginConfig(ListenAddress.of("127.0.0.1", 0), site, "no-store"));
    }

    @AfterEach
    void stopOrigins() {
        a.close();
        b.close();
    }

    /**
     * The file: the edge in front of {@code origin}, listening where the command line's {@code
     * --listen} overrides it.
     */
    private void writeConfig(OriginServer origin) throws IOException {
        Files.writeString(
                config,
                String.format(
                        Locale.ROOT,
                        """
                edge:
                  listen: 127.0.0.1:1
                sites:
                  - name: test
                    origins: [%s]
                """,
                        origin.uri()));
    }

    private EdgeProcess edge(String name) throws Exception {
        return EdgeProcess.startWithConfig(name, config, dir.resolve("cache-" + name), dir.resolve(name + ".err"));
    }

    private String who(EdgeProcess edge) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(edge.uri().resolve("/who.txt")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * The edges started here inherit this JVM's signal dispositions: under {@code nohup} SIGHUP is
     * ignored, and the JVM cannot handle it (the edge logs so); CI does not run under nohup.
     */
    private static void assumeSighupReachesEdges() {
        assumeFalse(
                UntilStopped.ignoredSinceStart(new sun.misc.Signal("HUP").getNumber()),
                "SIGHUP is ignored in this environment (nohup?): the edges started here cannot receive it");
    }

    private HttpResponse<String> postReload(EdgeProcess edge) throws Exception {
        return http.send(
                HttpRequest.newBuilder(edge.admin().resolve("/reload"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sighupSendsRequestsToTheNewOriginAndAKeepAliveConnectionOpenedBeforeGoesOn() throws Exception {
        assumeSighupReachesEdges();
        writeConfig(a);
        try (EdgeProcess edge = edge("hup");
                KeepAliveConnection open = new KeepAliveConnection(edge.uri())) {
            assertThat(open.get("/who.txt").body()).isEqualTo("A\n");

            writeConfig(b);
            edge.hangUp();

            await().atMost(PATIENCE).until(() -> who(edge).equals("B\n"));
            KeepAliveConnection.Response after = open.get("/who.txt");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("B\n");
            assertThat(after.headers().get("connection")).isNotEqualTo("close");
            assertThat(open.get("/who.txt").body())
                    .as("the same connection, once more")
                    .isEqualTo("B\n");
            assertThat(edge.stderr())
                    .contains("SIGHUP: reloading the configuration")
                    .contains("edge hup: reloaded; changed: sites[0].origins[0].url")
                    .doesNotContain("edge.listen");
            assertThat(edge.process().isAlive()).isTrue();
            assertThat(edge.stop()).isZero();
        }
    }

    @Test
    void aBrokenFileIsRejectedWithItsLineAndTheRunningConfigurationStays() throws Exception {
        assumeSighupReachesEdges();
        writeConfig(a);
        try (EdgeProcess edge = edge("broken")) {
            Files.writeString(
                    config,
                    Files.readString(config).replace("  - name: test\n", "  - name: test\n    balancer: fastest\n"));
            edge.hangUp();

            await().atMost(PATIENCE)
                    .until(() -> edge.stderr().contains("reload rejected, the running configuration is kept: "));
            assertThat(edge.stderr())
                    .contains("edge broken: reload rejected, the running configuration is kept: " + config
                            + ":5: sites[0].balancer: ");
            assertThat(who(edge)).isEqualTo("A\n");
            assertThat(edge.process().isAlive()).isTrue();
        }
    }

    @Test
    void postReloadOnTheAdminUrlAppliesAGoodFileAndAnswersTheErrorOfABadOne() throws Exception {
        writeConfig(a);
        try (EdgeProcess edge = edge("posted")) {
            writeConfig(b);
            HttpResponse<String> applied = postReload(edge);
            Files.writeString(config, "edge:\n  limits:\n    max-headers: lots\n");
            HttpResponse<String> rejected = postReload(edge);

            assertThat(applied.statusCode()).isEqualTo(200);
            assertThat(applied.body()).isEqualTo("reloaded\nchanged: sites[0].origins[0].url\n");
            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.body())
                    .startsWith("rejected: " + config + ":3: edge.limits.max-headers: ")
                    .endsWith("\nthe running configuration is kept\n");
            assertThat(who(edge)).isEqualTo("B\n");
        }
    }
}
