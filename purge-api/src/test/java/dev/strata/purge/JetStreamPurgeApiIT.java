package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.config.NatsLogConfig;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeLogConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two purge API replicas configured with {@code purge-api.log.kind: nats} on one real nats-server
 * stream, as {@code strata purge-api --config} starts them: a purge made on one reaches a follower
 * of the other, idempotency keys hold across them, and while NATS is down purges answer 503.
 */
class JetStreamPurgeApiIT {
    @RegisterExtension
    static final NatsServer nats = new NatsServer();

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> started = new ArrayList<>();

    @SuppressWarnings("NullAway.Init")
    private NatsLogConfig stream;

    @SuppressWarnings("NullAway.Init")
    private PurgeApiServer a;

    @SuppressWarnings("NullAway.Init")
    private PurgeApiServer b;

    @BeforeEach
    void startReplicas() {
        stream = nats.newStream();
        a = replica();
        b = replica();
    }

    private PurgeApiServer replica() {
        PurgeApiConfig config = PurgeApiIT.config(dir).withLog(PurgeLogConfig.nats(stream));
        PurgeApiServer server = PurgeApiServer.start(config, PurgeApiIT.sites(), Clock.systemUTC());
        started.add(server);
        return server;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : started) {
            closeable.close();
        }
    }

    private HttpResponse<String> purge(PurgeApiServer server, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve("/v1/purge"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + PurgeApiIT.ADMIN)
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(PurgeApiServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.uri().resolve(path))
                        .header("Authorization", "Bearer " + PurgeApiIT.READER)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return PurgeJson.parse(response.body());
    }

    /** What a node following the log records: the entries it applied, in order. */
    private static final class Recorder implements PurgeFollower.Target {
        final List<PurgeEntry> entries = new ArrayList<>();
        private volatile long applied;

        @Override
        public long appliedSeq() {
            return applied;
        }

        @Override
        public synchronized void apply(PurgeEntry entry) {
            entries.add(entry);
        }

        @Override
        public void staleEverything() {
            throw new AssertionError("the follower is never behind the log's retention here");
        }

        @Override
        public void applied(long seq) {
            applied = seq;
        }

        synchronized List<Long> seqs() {
            return entries.stream().map(PurgeEntry::seq).toList();
        }
    }

    @Test
    void aPurgeMadeOnOneReplicaReachesAFollowerOfTheOther() throws Exception {
        Recorder edge = new Recorder();
        PurgeFollower follower = PurgeFollower.create(b.uri(), "edge-1", edge);
        started.add(0, follower);
        follower.start();
        // The follower's long poll is parked on B (up to 20 s) once B has seen the node.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> json(get(b, "/v1/nodes")).path("nodes").size() == 1);

        JsonNode made = json(purge(a, "{\"tags\":[\"catalog\"]}"));

        await().atMost(Duration.ofSeconds(10)) // well below the parked poll's 20 s: B's listener woke it
                .untilAsserted(() -> assertThat(edge.seqs()).containsExactly(1L));
        assertThat(edge.entries.get(0).id()).isEqualTo(made.path("id").asText());
        assertThat(edge.entries.get(0).request().targets()).containsExactly("catalog");
        JsonNode status = json(get(b, "/v1/purge/" + made.path("id").asText()));
        assertThat(status.path("seq").asLong()).isEqualTo(1);
        assertThat(status.path("by").asText()).isEqualTo("admin");

        HttpResponse<String> onB =
                purge(b, "{\"urls\":[\"https://shop.example.com/a.css\"]}", "Idempotency-Key", "deploy-7");
        HttpResponse<String> againOnA =
                purge(a, "{\"urls\":[\"https://shop.example.com/a.css\"]}", "Idempotency-Key", "deploy-7");

        assertThat(json(onB).path("seq").asLong()).isEqualTo(2);
        assertThat(againOnA.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(againOnA).path("id").asText())
                .isEqualTo(json(onB).path("id").asText());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(edge.seqs()).containsExactly(1L, 2L));
        assertThat(json(get(a, "/v1/nodes")).path("lastSeq").asLong()).isEqualTo(2);
    }

    @Test
    void whileNatsIsDownPurgesAnswer503AndWorkAgainOnceItIsBack() throws Exception {
        nats.stop();
        HttpResponse<String> refused;
        HttpResponse<String> log;
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(get(a, "/healthz").statusCode())
                            .as("a replica cut off from NATS leaves its balancer's rotation")
                            .isEqualTo(503));
            refused = purge(a, "{\"tags\":[\"catalog\"]}", "Idempotency-Key", "k-1");
            log = http.send(
                    HttpRequest.newBuilder(b.uri().resolve("/v1/log?after=0")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            nats.restart();
        }

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode problem = PurgeJson.parse(refused.body());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asText())
                .contains("the purge log is unavailable")
                .contains(nats.url().toString())
                .contains("Idempotency-Key")
                .doesNotContain("\tat ");
        assertThat(log.statusCode()).as(log.body()).isEqualTo(503);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(get(a, "/healthz").statusCode()).isEqualTo(200));
        HttpResponse<String> accepted = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> purge(a, "{\"tags\":[\"catalog\"]}", "Idempotency-Key", "k-1"),
                        r -> r.statusCode() == 202);
        assertThat(json(accepted).path("seq").asLong()).isEqualTo(1);
        assertThat(json(get(b, "/v1/purge/" + json(accepted).path("id").asText()))
                        .path("targets")
                        .get(0)
                        .asText())
                .isEqualTo("catalog");
        URI logUri = b.uri().resolve("/v1/log?after=0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(PurgeJson.parse(
                                http.send(HttpRequest.newBuilder(logUri).build(), HttpResponse.BodyHandlers.ofString())
                                        .body())
                        .path("entries")
                        .size())
                .isEqualTo(1));
    }
}
