package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.origin.OriginServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code strata edge} process killed with SIGKILL: restarted on the same cache directory,
 * it serves what it had stored as HITs without asking the origin (issue #3, "Restart").
 */
class EdgeProcessIT {
    private static final String BODY = "kept across kill -9\n";

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    @SuppressWarnings("NullAway.Init")
    private OriginServer origin;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startOrigin() throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("kept.txt"), BODY);
        origin = OriginServer.start(new OriginConfig(ListenAddress.of("127.0.0.1", 0), site, "public, max-age=600"));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether some file of the cache directory (the RocksDB write-ahead log) holds {@code text}. */
    private static boolean onDisk(Path cacheDir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(cacheDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aKilledEdgeServesItsDiskEntriesAfterRestartWithoutTheOrigin() throws Exception {
        Path cacheDir = dir.resolve("cache");
        try (EdgeProcess first = EdgeProcess.start("crashy", origin.uri(), cacheDir, dir.resolve("first.err"))) {
            assertThat(get(first.uri().resolve("/kept.txt")).headers().firstValue("X-Cache"))
                    .hasValue("MISS");
            // The disk write is asynchronous: wait until the entry reached the write-ahead log.
            await().atMost(Duration.ofSeconds(30)).until(() -> onDisk(cacheDir, BODY.strip()));
            first.kill(); // no shutdown hook, no RocksDB close
        }

        try (EdgeProcess second = EdgeProcess.start("crashy", origin.uri(), cacheDir, dir.resolve("second.err"))) {
            HttpResponse<String> response = get(second.uri().resolve("/kept.txt"));

            assertThat(response.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(response.body()).isEqualTo(BODY);
            assertThat(response.headers().firstValue("Age")).isPresent();
            assertThat(origin.requestCount()).isEqualTo(1);
        }
    }
}
