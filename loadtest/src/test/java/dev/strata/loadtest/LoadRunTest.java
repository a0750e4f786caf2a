package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The open and closed loops on a fake clock: no sockets, no waiting. */
class LoadRunTest {
    private static final URI TARGET = URI.create("http://127.0.0.1:9/hot");
    private static final long MS = 1_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final FakeTicker ticker = new FakeTicker();

    /** Answers each request after {@code serviceNanos}, request {@code stalled} after {@code stallNanos}. */
    private final class FakeServer implements LoadRun.Transport {
        final List<Long> sendTimes = new ArrayList<>();
        final AtomicLong count = new AtomicLong();
        final long serviceNanos;
        final long stalled;
        final long stallNanos;

        FakeServer(long serviceNanos, long stalled, long stallNanos) {
            this.serviceNanos = serviceNanos;
            this.stalled = stalled;
            this.stallNanos = stallNanos;
        }

        @Override
        public CompletableFuture<Outcome> send(URI uri) {
            sendTimes.add(ticker.read());
            long n = count.getAndIncrement();
            ticker.advance(n == stalled ? stallNanos : serviceNanos);
            return CompletableFuture.completedFuture(Outcome.response(200, n % 2 == 0 ? "HIT" : "MISS", 100));
        }
    }

    private LoadPlan open(double rate, int connections, long requests) {
        return new LoadPlan(
                TARGET, LoadPlan.Mode.OPEN, rate, connections, Duration.ofSeconds(60), requests, Duration.ofSeconds(1));
    }

    @Test
    void openLoopSendsEachRequestAtItsIntendedTime() throws Exception {
        FakeServer server = new FakeServer(100_000, -1, 0);
        long start = ticker.read();

        LoadReport report =
                new LoadRun(open(1000, 4, 50), new HotWorkload(TARGET, 1024), server, ticker, CLOCK).run(null);

        assertThat(server.sendTimes).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(server.sendTimes.get(i)).isEqualTo(start + i * MS);
        }
        assertThat(report.sent()).isEqualTo(50);
        assertThat(report.completed()).isEqualTo(50);
        assertThat(report.ok()).isEqualTo(50);
        assertThat(report.bytes()).isEqualTo(5000);
        assertThat(report.hitRatio()).isEqualTo(0.5);
        assertThat(report.xCache()).containsEntry("HIT", 25L).containsEntry("MISS", 25L);
        assertThat(report.latency().max()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.001));
        assertThat(report.startedAt()).isEqualTo("2025-01-01T00:00:00Z");
    }

    @Test
    void aStalledResponseRaisesTheLatencyOfEveryRequestDueDuringTheStall() throws Exception {
        // 1000/s, one connection, 0.1 ms per response, except request 10 takes 100 ms.
        FakeServer server = new FakeServer(100_000, 10, 100 * MS);
        long start = ticker.read();

        LoadReport report =
                new LoadRun(open(1000, 1, 300), new HotWorkload(TARGET, 1024), server, ticker, CLOCK).run(null);

        // Requests due during the stall went out late, back to back, as soon as the stall ended...
        assertThat(server.sendTimes.get(11)).isEqualTo(start + 110 * MS);
        assertThat(server.sendTimes.get(12)).isEqualTo(start + 110 * MS + 100_000);
        // ...so from their intended times they waited 99 ms, 98 ms, ... down to nothing: about
        // 100 requests over 10 ms, 50 over 50 ms.
        assertThat(report.latency().max()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(report.latency().p90()).isGreaterThan(10);
        assertThat(report.distribution().stream()
                        .filter(p -> p.percentile() >= 80 && p.percentile() < 90)
                        .findFirst()
                        .orElseThrow()
                        .millis())
                .isGreaterThan(20);
        // The actual service time hides all of it: one slow request.
        assertThat(report.serviceTime().p99()).isLessThan(0.2);
        assertThat(report.serviceTime().max()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.2));
        assertThat(report.completed()).isEqualTo(300);
        assertThat(report.unsent()).isZero();
    }

    @Test
    void openLoopStopsAtTheTimeBound() throws Exception {
        FakeServer server = new FakeServer(100_000, -1, 0);
        LoadPlan plan = new LoadPlan(
                TARGET, LoadPlan.Mode.OPEN, 100, 2, Duration.ofSeconds(2), 1_000_000, Duration.ofSeconds(1));

        LoadReport report = new LoadRun(plan, new HotWorkload(TARGET, 1024), server, ticker, CLOCK).run(null);

        assertThat(report.sent()).isEqualTo(200);
        assertThat(report.elapsedSeconds()).isBetween(1.98, 2.0);
    }

    @Test
    void closedLoopSendsTheNextRequestWhenThePreviousEnds() throws Exception {
        FakeServer server = new FakeServer(MS, -1, 0);
        long start = ticker.read();
        LoadPlan plan =
                new LoadPlan(TARGET, LoadPlan.Mode.CLOSED, 0, 3, Duration.ofSeconds(60), 10_000, Duration.ofSeconds(1));

        LoadReport report = new LoadRun(plan, new HotWorkload(TARGET, 1024), server, ticker, CLOCK).run(null);

        assertThat(report.completed()).isEqualTo(10_000);
        assertThat(report.mode()).isEqualTo("closed");
        // The fake answers in place, so each request starts when the previous one ended.
        assertThat(server.sendTimes.get(9_999)).isEqualTo(start + 9_999 * MS);
        assertThat(report.latency().p50()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void failuresAreCountedByKind() throws Exception {
        AtomicLong n = new AtomicLong();
        LoadRun.Transport flaky = uri -> {
            long i = n.getAndIncrement();
            return switch ((int) (i % 4)) {
                case 0 -> CompletableFuture.completedFuture(Outcome.response(200, null, 10));
                case 1 -> CompletableFuture.completedFuture(Outcome.response(503, "MISS", 0));
                case 2 -> CompletableFuture.completedFuture(Outcome.failed("connect"));
                default -> CompletableFuture.failedFuture(new java.net.SocketTimeoutException("slow"));
            };
        };
        LoadPlan plan =
                new LoadPlan(TARGET, LoadPlan.Mode.CLOSED, 0, 1, Duration.ofSeconds(60), 400, Duration.ofSeconds(1));

        LoadReport report = new LoadRun(plan, new HotWorkload(TARGET, 1024), flaky, ticker, CLOCK).run(null);

        assertThat(report.errors())
                .containsEntry("http-5xx", 100L)
                .containsEntry("connect", 100L)
                .containsEntry("timeout", 100L);
        assertThat(report.ok()).isEqualTo(100);
        assertThat(report.xCache()).containsEntry("none", 100L).containsEntry("MISS", 100L);
        assertThat(report.hitRatio()).isEqualTo(0.0);
    }

    @Test
    void coldStormCountsXCachePerUrl() throws Exception {
        AtomicLong n = new AtomicLong();
        LoadRun.Transport collapsing = uri -> CompletableFuture.completedFuture(
                Outcome.response(200, n.getAndIncrement() % 5 == 0 ? "MISS" : "HIT", 1));
        ColdStormWorkload storm = new ColdStormWorkload(URI.create("http://127.0.0.1:9/"), 4, 5, "t", 1024);
        LoadPlan plan = new LoadPlan(
                URI.create("http://127.0.0.1:9/"),
                LoadPlan.Mode.CLOSED,
                0,
                5,
                Duration.ofSeconds(60),
                1_000,
                Duration.ofSeconds(1));

        LoadReport report = new LoadRun(plan, storm, collapsing, ticker, CLOCK).run(null);

        assertThat(report.sent()).isEqualTo(20);
        assertThat(report.perUrl()).hasSize(4);
        assertThat(report.perUrl().get("/obj/storm-t-0?size=1024"))
                .containsEntry("MISS", 1L)
                .containsEntry("HIT", 4L);
    }
}
