package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a real {@code strata edge} process (issue #7): it refuses new connections, answers 503
 * on those already open, lets a download in flight finish byte for byte, closes RocksDB so that the
 * next start serves from disk, and exits with 0; a download longer than the drain timeout is cut
 * and the process still exits on time. {@code strata origin} and {@code strata purge-api} exit with
 * 0 too.
 */
class ShutdownIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int DOWNLOAD_BYTES = 1 << 20;
    private static final int FIRST_PART = DOWNLOAD_BYTES / 4;
    private static final String KEPT = "kept across a graceful stop\n";

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final byte[] download = new byte[DOWNLOAD_BYTES];
    private final CountDownLatch releaseDownload = new CountDownLatch(1);
    private final AtomicInteger keptRequests = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    @SuppressWarnings("NullAway.Init")
    private Undertow origin;

    @SuppressWarnings("NullAway.Init")
    private URI originUri;

    /**
     * {@code /download}: 1 MiB, its first quarter at once and the rest once the test releases it (on
     * a worker thread); {@code /kept.txt}: a small cacheable object.
     */
    @BeforeEach
    void startOrigin() {
        new Random(7).nextBytes(download);
        origin = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "public, max-age=600");
                    if (!exchange.getRequestPath().equals("/download")) {
                        keptRequests.incrementAndGet();
                        exchange.getResponseSender().send(KEPT);
                        return;
                    }
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, DOWNLOAD_BYTES);
                    exchange.dispatch(() -> {
                        exchange.startBlocking();
                        try (OutputStream out = exchange.getOutputStream()) {
                            out.write(download, 0, FIRST_PART);
                            out.flush();
                            releaseDownload.await();
                            out.write(download, FIRST_PART, DOWNLOAD_BYTES - FIRST_PART);
                        } catch (IOException e) {
                            // the edge went away (the drain timeout cut it)
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                })
                .build();
        origin.start();
        int port = ((InetSocketAddress) origin.getListenerInfo().get(0).getAddress()).getPort();
        originUri = URI.create("http://127.0.0.1:" + port);
    }

    @AfterEach
    void stopOrigin() {
        releaseDownload.countDown();
        origin.stop();
    }

    /** An edge whose objects above 256 KiB stream through (the download is relayed as it comes). */
    private EdgeProcess edge(String name, String drainTimeout, Path cacheDir) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(
                config,
                String.format(
                        Locale.ROOT,
                        """
                node:
                  drain-timeout: %s
                edge:
                  cache:
                    max-object-size: 256KiB
                sites:
                  - name: test
                    origins: [%s]
                """,
                        drainTimeout,
                        originUri));
        return EdgeProcess.startWithConfig(
                name, config, cacheDir, dir.resolve(name + "-" + System.nanoTime() + ".err"));
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private InputStream startDownload(EdgeProcess edge) throws Exception {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(edge.uri().resolve("/download")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Cache")).hasValue("PASS");
        InputStream body = response.body();
        byte[] first = body.readNBytes(FIRST_PART);
        assertThat(first).isEqualTo(java.util.Arrays.copyOf(download, FIRST_PART));
        return body;
    }

    @Test
    void sigtermLetsADownloadFinishRefusesNewRequestsExitsZeroAndTheCacheReopens() throws Exception {
        Path cacheDir = dir.resolve("cache");
        try (EdgeProcess edge = edge("drainy", "30s", cacheDir);
                KeepAliveConnection open = new KeepAliveConnection(edge.uri())) {
            assertThat(open.get("/kept.txt").headers().get("x-cache")).isEqualTo("MISS");
            InputStream downloading = startDownload(edge);

            edge.terminate();

            await().atMost(PATIENCE)
                    .until(() -> get(edge.admin().resolve("/readyz")).statusCode() == 503);
            assertThat(get(edge.admin().resolve("/readyz")).body()).contains("node: draining");
            await().atMost(PATIENCE).untilAsserted(() -> assertThatThrownBy(() -> new Socket(
                                    InetAddress.getLoopbackAddress(), edge.uri().getPort())
                            .close())
                    .as("a new connection")
                    .isInstanceOf(ConnectException.class));
            KeepAliveConnection.Response refused = open.get("/kept.txt");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().get("connection")).isEqualTo("close");
            assertThat(refused.body()).contains("draining");
            assertThat(open.closedByServer()).isTrue();
            assertThat(edge.process().isAlive())
                    .as("still draining the download")
                    .isTrue();

            releaseDownload.countDown();
            byte[] rest = downloading.readAllBytes();

            assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(download, FIRST_PART, DOWNLOAD_BYTES));
            assertThat(edge.awaitExit()).as("exit status after SIGTERM").isZero();
            assertThat(edge.stderr())
                    .contains("SIGTERM: stopping")
                    .contains("edge drainy draining")
                    .contains("edge drainy stopped")
                    .doesNotContain("requests still in flight")
                    .doesNotContain("disk work still running")
                    .doesNotContain("Exception");
        }

        try (EdgeProcess again = edge("drainy", "30s", cacheDir)) {
            HttpResponse<String> kept = get(again.uri().resolve("/kept.txt"));

            assertThat(kept.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(kept.body()).isEqualTo(KEPT);
            assertThat(keptRequests.get()).as("origin requests for /kept.txt").isEqualTo(1);
            assertThat(again.stderr()).doesNotContain("quarantine");
        }
    }

    @Test
    void theOriginAndThePurgeApiAlsoExitWithZeroOnSigterm() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Path purgeConfig = dir.resolve("purge.yaml");
        Files.writeString(purgeConfig, "purge-api:\n  dir: " + dir.resolve("purge-log") + "\n");
        for (List<String> command : List.of(
                List.of("origin", "--listen", "127.0.0.1:0", "--dir", site.toString()),
                List.of("purge-api", "--listen", "127.0.0.1:0", "--config", purgeConfig.toString()))) {
            String role = command.get(0);
            Path stderr = dir.resolve(role + ".err");
            Process process = EdgeProcess.strata(List.of(), List.of(), command, stderr);
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(EdgeProcess.readLine(out, stderr)).startsWith(role + " ");

                process.destroy();

                assertThat(process.waitFor(60, TimeUnit.SECONDS))
                        .as("%s exited", role)
                        .isTrue();
                assertThat(process.exitValue())
                        .as("%s exit status after SIGTERM", role)
                        .isZero();
                assertThat(Files.readString(stderr)).contains("SIGTERM: stopping");
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aDownloadLongerThanTheDrainTimeoutIsCutAndTheProcessExitsOnTime() throws Exception {
        try (EdgeProcess edge = edge("hasty", "1s", dir.resolve("cache"))) {
            InputStream downloading = startDownload(edge);

            long started = System.nanoTime();
            edge.terminate();
            int status = edge.awaitExit();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(status).as("exit status after SIGTERM").isZero();
            assertThat(took).as("drain timeout 1s, plus a margin").isLessThan(Duration.ofSeconds(21));
            assertThatThrownBy(downloading::readAllBytes).isInstanceOf(IOException.class);
            assertThat(edge.stderr())
                    .contains("edge hasty: requests still in flight after 1s; closing their connections")
                    .contains("edge hasty stopped");
        }
    }
}
