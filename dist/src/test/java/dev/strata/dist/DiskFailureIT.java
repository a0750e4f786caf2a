package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.config.SiteConfig;
import dev.strata.origin.OriginServer;
import dev.strata.purge.PurgeApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.util.Environment;

/**
 * Broken storage under a real {@code strata edge} process (issue #3, "Broken storage"): a disk that
 * fills up while the node runs, and one too full to even unpack RocksDB's native library at start.
 * Either way the node keeps answering from memory and upstream, with every byte right, and exits
 * cleanly. A purge its full disk cannot keep is not recorded as applied, so it is not lost at the
 * next start (issue #6). The full disk is the process's file-size limit ({@code ulimit -f}): writes past it fail
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
                2048, "full", origin.uri(), cacheDir, dir.resolve("full.err"), List.of(), libraryPath)) {
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
    void aPurgeAFullDiskCannotKeepIsNotRecordedAsAppliedAndIsAppliedAtTheNextStart() throws Exception {
        String token = "disk-failure-test-token";
        PurgeApiServer api = PurgeApiServer.start(
                new PurgeApiConfig(ListenAddress.of("127.0.0.1", 0), dir.resolve("purge-log"))
                        .withTokens(List.of(new PurgeTokenConfig(
                                "ops", Demo.sha256Hex(token), List.of("*"), List.of("purge", "read")))),
                List.of(SiteConfig.anyHost(List.of(origin.uri()))),
                Clock.systemUTC());
        try (api) {
            Path config = Files.writeString(dir.resolve("edge.yaml"), "node:\n  purge-api:\n    - " + api.uri() + "\n");
            List<String> args = List.of("--config", config.toString());
            Path cacheDir = dir.resolve("cache");
            long seq;
            try (EdgeProcess edge = EdgeProcess.startWithFileSizeLimit(
                    2048,
                    "full",
                    origin.uri(),
                    cacheDir,
                    dir.resolve("full.err"),
                    args,
                    "-Djava.library.path=" + nativeLibraryDir())) {
                assertThat(getAll(edge)).containsOnly("MISS");
                await().atMost(Duration.ofSeconds(60)).until(() -> edge.stderr().contains("write failed"));

                seq = purge(api, token, "http://127.0.0.1/object-0.bin");

                await().atMost(Duration.ofSeconds(60))
                        .until(() -> edge.stderr().contains("could not apply purge seq " + seq));
                assertThat(appliedSeq(api, token, "full"))
                        .as("the API never hears the purge applied")
                        .isLessThan(seq);
                HttpResponse<byte[]> purged = get(edge, 0);
                assertThat(purged.headers().firstValue("X-Cache"))
                        .as("the purge holds in memory meanwhile")
                        .hasValue("MISS");
                assertThat(purged.body()).isEqualTo(bodies.get(0));
                assertStopsCleanly(edge, "full");
            }

            // Restarted with room: the purge is applied before the edge serves, and reported.
            try (EdgeProcess edge = EdgeProcess.start("full", origin.uri(), cacheDir, dir.resolve("again.err"), args)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> appliedSeq(api, token, "full") == seq);
                assertThat(get(edge, 0).headers().firstValue("X-Cache")).hasValue("MISS");
                assertThat(edge.stderr()).doesNotContain("could not apply purge");
            }
        }
    }

    /** Posts a purge of {@code url} and returns its sequence number. */
    private long purge(PurgeApiServer api, String token, String url) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(api.uri().resolve("/v1/purge"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"urls\":[\"" + url + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher seq = Pattern.compile("\"seq\":(\\d+)").matcher(response.body());
        assertThat(seq.find()).as(response.body()).isTrue();
        return Long.parseLong(seq.group(1));
    }

    /** The node's applied sequence as the purge API last heard it; -1 when it never did. */
    private long appliedSeq(PurgeApiServer api, String token, String node) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(api.uri().resolve("/v1/nodes"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher applied = Pattern.compile("\"name\":\"" + Pattern.quote(node) + "\",\"appliedSeq\":(\\d+)")
                .matcher(response.body());
        return applied.find() ? Long.parseLong(applied.group(1)) : -1;
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
                List.of(),
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
