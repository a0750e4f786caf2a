package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * A purge storm against a fake purge API on a fake clock: the API answers at once and its nodes
 * apply each purge a fixed time after its 202, as the clock moves. No sockets, no waiting.
 */
class PurgeStormTest {
    private static final URI API = URI.create("http://127.0.0.1:9");
    private static final long MS = 1_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);

    private final FakeTicker fake = new FakeTicker();

    /**
     * A purge API whose nodes apply each purge {@code applyNanos} after its 202; node {@code stuck}
     * (if any) never applies past {@code stuckAt}. Purges for which {@code reject} holds (by their
     * number, from 0) are answered 429.
     */
    private final class FakeApi implements PurgeStorm.Api {
        final List<String> nodes;
        final long applyNanos;
        final String stuck;
        final long stuckAt;
        final LongPredicate reject;
        final List<String> bodies = new ArrayList<>();
        final List<Long> acceptedAt = new ArrayList<>();
        final Map<String, Long> applied = new HashMap<>();
        final List<Map.Entry<Long, CompletableFuture<Map<String, Long>>>> waiting = new ArrayList<>();
        long purges;

        FakeApi(List<String> nodes, long applyNanos, String stuck, long stuckAt, LongPredicate reject) {
            this.nodes = nodes;
            this.applyNanos = applyNanos;
            this.stuck = stuck;
            this.stuckAt = stuckAt;
            this.reject = reject;
            nodes.forEach(node -> applied.put(node, 0L));
        }

        @Override
        public synchronized CompletableFuture<PurgeStorm.Answer> purge(String body) {
            bodies.add(body);
            if (reject.test(purges++)) {
                return CompletableFuture.completedFuture(new PurgeStorm.Answer(Outcome.response(429, null, 0), 0));
            }
            acceptedAt.add(fake.read());
            return CompletableFuture.completedFuture(
                    new PurgeStorm.Answer(Outcome.response(202, null, 40), acceptedAt.size()));
        }

        @Override
        public synchronized CompletableFuture<Map<String, Long>> nodes(Duration wait, long minApplied) {
            CompletableFuture<Map<String, Long>> answer = new CompletableFuture<>();
            if (wait.isZero() || lowest() >= minApplied) {
                answer.complete(Map.copyOf(applied));
            } else {
                waiting.add(Map.entry(minApplied, answer));
            }
            return answer;
        }

        private long lowest() {
            return applied.values().stream().mapToLong(Long::longValue).min().orElse(0);
        }

        /** Applies every purge whose time has come, and answers the node lists that waited for it. */
        synchronized void applyDue() {
            long now = fake.read();
            long due = 0;
            while (due < acceptedAt.size() && acceptedAt.get((int) due) + applyNanos <= now) {
                due++;
            }
            for (String node : nodes) {
                applied.put(node, node.equals(stuck) ? Math.min(due, stuckAt) : due);
            }
            long lowest = lowest();
            waiting.removeIf(w -> {
                if (w.getKey() <= lowest) {
                    w.getValue().complete(Map.copyOf(applied));
                    return true;
                }
                return false;
            });
        }
    }

    /** The fake clock, letting the fake API's nodes catch up each time a thread waits on it. */
    private Ticker ticker(FakeApi api) {
        return new Ticker() {
            @Override
            public long read() {
                return fake.read();
            }

            @Override
            public void awaitUntil(long nanoTime) {
                fake.awaitUntil(nanoTime);
                api.applyDue();
            }
        };
    }

    private static PurgePlan plan(long purges, int nodes) {
        return new PurgePlan(API, 1000, 16, Duration.ofSeconds(60), purges, Duration.ofSeconds(2), nodes, "127.0.0.1");
    }

    @Test
    void everyPurgeIsTimedFromItsAcceptanceToAppliedOnEveryNode() throws Exception {
        FakeApi api = new FakeApi(List.of("sin", "ams", "shield-1"), 5 * MS, "", 0, n -> false);

        PurgeReport report = new PurgeStorm(plan(200, 3), api, ticker(api), CLOCK, "run1").run(null, null);

        assertThat(report.nodes()).containsExactly("ams", "shield-1", "sin");
        assertThat(report.sent()).isEqualTo(200);
        assertThat(report.accepted()).isEqualTo(200);
        assertThat(report.confirmed()).isEqualTo(200);
        assertThat(report.unconfirmed()).isZero();
        assertThat(report.errorCount()).isZero();
        assertThat(report.statuses()).containsEntry("202", 200L);
        assertThat(report.propagationDistribution().get(0).millis())
                .as("no purge is seen applied before its nodes applied it")
                .isGreaterThanOrEqualTo(5.0);
        assertThat(report.observations()).isPositive();
        assertThat(report.acceptRate()).isCloseTo(1000, org.assertj.core.data.Offset.offset(10.0));
        assertThat(api.bodies).hasSize(200);
        assertThat(api.bodies.stream().filter(b -> b.startsWith("{\"urls\":[\"http://127.0.0.1/loadtest-purge/run1-")))
                .hasSize(120);
        assertThat(api.bodies.stream().filter(b -> b.startsWith("{\"prefixes\":[\"127.0.0.1/loadtest-purge/run1-")))
                .hasSize(40);
        assertThat(api.bodies.stream().filter(b -> b.startsWith("{\"tags\":[\"loadtest-purge-run1-")))
                .hasSize(40);
        assertThat(api.bodies).doesNotHaveDuplicates();
    }

    @Test
    void aPurgeOneNodeNeverAppliesIsUnconfirmedAndRejectedPurgesAreErrors() throws Exception {
        FakeApi api = new FakeApi(List.of("ams", "nyc"), MS, "nyc", 30, n -> n % 10 == 9);

        PurgeReport report = new PurgeStorm(plan(100, 2), api, ticker(api), CLOCK, "run2").run(null, null);

        assertThat(report.sent()).isEqualTo(100);
        assertThat(report.accepted()).isEqualTo(90);
        assertThat(report.errors()).containsEntry("http-4xx", 10L);
        assertThat(report.statuses()).containsEntry("429", 10L).containsEntry("202", 90L);
        assertThat(report.confirmed()).as("nyc stopped at 30").isEqualTo(30);
        assertThat(report.unconfirmed()).isEqualTo(60);
    }

    @Test
    void aStormNeedsAsManyNodesAsItsPlanSays() {
        FakeApi api = new FakeApi(List.of("ams", "nyc"), MS, "", 0, n -> false);

        assertThatThrownBy(() -> new PurgeStorm(plan(10, 5), api, ticker(api), CLOCK, "run3").run(null, null))
                .isInstanceOf(LoadtestException.class)
                .hasMessageContaining("lists 2 reachable nodes")
                .hasMessageContaining("at least 5");
        assertThat(api.bodies).as("no purge sent").isEmpty();
    }

    @Test
    void theReportIsWellFormedJsonAndXhtml() throws Exception {
        FakeApi api = new FakeApi(List.of("ams"), 2 * MS, "", 0, n -> false);
        PurgeReport report = new PurgeStorm(plan(50, 1), api, ticker(api), CLOCK, "run4").run(null, null);

        JsonNode json = new ObjectMapper().readTree(ReportJson.write(report));
        assertThat(json.path("scenario").asText()).isEqualTo("purge-storm");
        assertThat(json.path("confirmed").asLong()).isEqualTo(50);
        assertThat(json.path("nodes").get(0).asText()).isEqualTo("ams");
        assertThat(json.path("propagation").path("p99").isNumber()).isTrue();
        assertThat(json.path("propagation").path("count").asLong()).isEqualTo(50);
        assertThat(json.path("hits").isNull()).isTrue();

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document page = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(ReportHtml.write(report).getBytes(StandardCharsets.UTF_8)));
        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(ReportHtml.write(report)).contains("propagation (202 to applied on every node)");
        assertThat(report.summary()).contains("propagation ms p50").contains("50 applied on every node");
    }
}
