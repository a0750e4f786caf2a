package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower whose node fails to apply an entry (its disk cannot keep the markers) does not record
 * it as applied, reports no progress past it to the API, and applies it once the node can.
 */
class PurgeFollowerRetryIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    @SuppressWarnings("NullAway.Init")
    private PurgeApiServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    /** A node's cache whose disk fails the first {@code failures} attempts at one entry. */
    private static final class FailingTarget implements PurgeFollower.Target {
        final long failingSeq;
        final AtomicInteger failuresLeft;
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        final List<Long> recorded = new CopyOnWriteArrayList<>();

        FailingTarget(long failingSeq, int failures) {
            this.failingSeq = failingSeq;
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public long appliedSeq() {
            return recorded.isEmpty() ? 0 : recorded.get(recorded.size() - 1);
        }

        @Override
        public void apply(PurgeEntry entry) {
            attempts.add(entry.seq());
            if (entry.seq() == failingSeq && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("disk tier: writing a purge failed: No space left on device");
            }
        }

        @Override
        public void staleEverything() {}

        @Override
        public void applied(long seq) {
            recorded.add(seq);
        }
    }

    @BeforeEach
    void start() {
        server = PurgeApiServer.start(PurgeApiIT.config(dir), PurgeApiIT.sites(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void purge(String tag) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/v1/purge"))
                        .header("Authorization", "Bearer " + PurgeApiIT.ADMIN)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"tags\":[\"" + tag + "\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private long appliedAtTheApi(String node) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/v1/nodes"))
                        .header("Authorization", "Bearer " + PurgeApiIT.READER)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (var item : PurgeJson.parse(response.body()).path("nodes")) {
            if (item.path("name").asText().equals(node)) {
                return item.path("appliedSeq").asLong();
            }
        }
        return -1;
    }

    @Test
    void anEntryTheNodeFailsToApplyIsNotRecordedAsAppliedAndIsTriedAgain() throws Exception {
        purge("one");
        purge("two");
        purge("three");
        FailingTarget target = new FailingTarget(2, 2);
        try (PurgeFollower follower = PurgeFollower.create(server.uri(), "edge-1", target)) {
            assertThat(follower.catchUp(Duration.ofMillis(100)))
                    .as("stopped at the failing entry")
                    .isFalse();
            assertThat(follower.appliedSeq()).isEqualTo(1);
            assertThat(target.recorded).containsExactly(1L);

            follower.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> appliedAtTheApi("edge-1") == 3);
            assertThat(follower.appliedSeq()).isEqualTo(3);
        }
        assertThat(target.attempts).containsExactly(1L, 2L, 2L, 2L, 3L);
        assertThat(target.recorded).as("never past 2 before it applied").containsExactly(1L, 2L, 3L);
    }
}
