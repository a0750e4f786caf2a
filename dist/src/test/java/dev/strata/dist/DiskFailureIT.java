package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.origin.OriginServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.util.Environment;

/**
 * Broken storage under a real {@code strata edge} process (issue #3, "Broken storage"): a disk that
 * fills up while the node runs, and one too full to even unpack RocksDB's native library at start.
 * Either way the node keeps answering from memory and upstream, with every byte right, and exits
 * cleanly. The full disk is the process's file-size limit ({@code ulimit -f}): writes past it fail
 * with EFBIG, which RocksDB meets exactly as it meets ENOSPC, as a failed write of its log.
 */
class DiskFailureIT {
    private static final int OBJECTS = 24;
    private static final int OBJECT_BYTES = 256 * 1024;

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    @SuppressWarnings("NullAway.Init")
    private OriginServer origin;

    private final List<byte[]> bodies = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startOrigin() throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Random random = new Random(42);
        for (int i = 0; i < OBJECTS; i++) {
            byte[] body = new byte[OBJECT_BYTES];
            random.nextBytes(body);
            Files.write(site.resolve("object-" + i + ".bin"), body);
            bodies.add(body);
        }
        origin = OriginServer.start(new OriginConfig(ListenAddress.of("127.0.0.1", 0), site, "public, max-age=600"));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private HttpResponse<byte[]> get(EdgeProcess edge, int object) throws Exception {
        URI uri = edge.uri().resolve("/object-" + object + ".bin");
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Every object, asserting status and bytes; returns the X-Cache values seen. */
    private List<String> getAll(EdgeProcess edge) throws Exception {
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            HttpResponse<byte[]> response = get(edge, i);
            assertThat(response.statusCode()).as("object %d", i).isEqualTo(200);
            assertThat(response.body()).as("object %d", i).isEqualTo(bodies.get(i));
            statuses.add(response.headers().firstValue("X-Cache").orElse("(none)"));
        }
        return statuses;
    }

    /**
     * SIGTERM drains the node to its last log line and the process exits with 0, never the 1 of a
     * failure or the 134 of a native crash.
     */
    private static void assertStopsCleanly(EdgeProcess edge, String name) throws Exception {
        assertThat(edge.stop()).as("exit status after SIGTERM").isZero();
        assertThat(edge.stderr()).contains("edge " + name + " stopped");
    }

    /** A directory holding RocksDB's native library, so the process loads it instead of unpacking it. */
    private Path nativeLibraryDir() throws IOException {
        Path libraries = Files.createDirectories(dir.resolve("native"));
        String name = Environment.getJniLibraryFileName("rocksdb");
        try (InputStream in = Environment.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("%s on the class path", name).isNotNull();
            Files.copy(in, libraries.resolve(name));
        }
        return libraries;
    }

    @Test
    void anEdgeWhoseDiskFillsUpKeepsServingFromMemoryAndUpstream() throws Exception {
        Path cacheDir = dir.resolve("cache");
        String libraryPath = "-Djava.library.path=" + nativeLibraryDir();
        // 2 MiB per file: the write-ahead log fills after about 8 of the 24 objects.
        try (EdgeProcess edge = EdgeProcess.startWithFileSizeLimit(
                2048, "full", origin.uri(), cacheDir, dir.resolve("full.err"), libraryPath)) {
            assertThat(getAll(edge)).containsOnly("MISS");
            await().atMost(Duration.ofSeconds(60)).until(() -> edge.stderr().contains("write failed"));

            assertThat(getAll(edge)).as("served from memory").containsOnly("HIT");
            assertThat(origin.requestCount()).isEqualTo(OBJECTS);
            assertStopsCleanly(edge, "full");
        }

        // Restarted with room: what reached the disk is served, the rest fetched again, nothing torn.
        try (EdgeProcess edge = EdgeProcess.start("full", origin.uri(), cacheDir, dir.resolve("again.err"))) {
            List<String> statuses = getAll(edge);

            assertThat(statuses).contains("HIT").contains("MISS").containsOnly("HIT", "MISS");
            assertThat(origin.requestCount())
                    .isEqualTo(
                            OBJECTS + statuses.stream().filter("MISS"::equals).count());
        }
    }

    @Test
    void anEdgeThatCannotOpenItsDiskTierServesFromMemoryAndUpstream() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        // 1 MiB per file: RocksDB's native library (about 15 MiB) cannot be unpacked.
        try (EdgeProcess edge = EdgeProcess.startWithFileSizeLimit(
                1024,
                "diskless",
                origin.uri(),
                dir.resolve("cache"),
                dir.resolve("diskless.err"),
                "-Djava.io.tmpdir=" + tmp)) {
            assertThat(edge.stderr())
                    .contains("no disk tier, serving from memory and upstream only")
                    .contains("RocksDB's native library cannot be loaded")
                    .doesNotContain("Exception in thread");

            assertThat(getAll(edge)).containsOnly("MISS");
            assertThat(getAll(edge)).containsOnly("HIT");
            assertThat(origin.requestCount()).isEqualTo(OBJECTS);
            assertStopsCleanly(edge, "diskless");
        }
    }
}
