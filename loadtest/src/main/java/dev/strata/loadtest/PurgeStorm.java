package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A purge storm (issues #5 and #6): purges sent to a purge API at a constant rate, an open loop as
 * in {@link LoadRun}, each timed from its {@code 202} to the moment every node following the log
 * was seen to have applied it. Optionally a {@link LoadRun} of cache hits runs at the same time,
 * to show whether serving stalls while nodes apply purges.
 *
 * <p><b>Seeing "applied on every node".</b> A node reports the last sequence it applied with its
 * next log request, right after applying. The storm keeps one long-poll open, {@code GET
 * /v1/nodes?wait=2000&minApplied=M+1}, where {@code M} is the lowest sequence every node was last
 * seen to have applied: the API answers it the moment the slowest node reports more, and the storm
 * counts every purge up to the new lowest sequence as applied at the instant the answer arrives.
 * The observation adds one loopback round trip to a purge's time (well under a millisecond), never
 * a polling interval, and costs the API at most one request per step of the slowest node instead
 * of one per purge or per millisecond. A purge seen applied everywhere before its own {@code 202}
 * arrived counts 0.
 *
 * <p>What the purges name, in turn: three URLs, a prefix and a surrogate key of every five, each
 * new ({@code /loadtest-purge/RUN-i} on the plan's host, tag {@code loadtest-purge-RUN-i}), so they
 * purge nothing a concurrent hit run requests. Not reusable: one {@link #run} per instance.
 */
public final class PurgeStorm {
    /** What the purges name, in turn. */
    public static final String MIX = "3 url : 1 prefix : 1 tag";

    private static final Duration WATCH_WAIT = Duration.ofSeconds(2);
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private static final long RETRY_NANOS = 100_000_000L;

    /** The purge API as the storm uses it; thread-safe, never blocks. */
    public interface Api {
        /** Posts one purge (a JSON body); completes with its answer, never exceptionally. */
        CompletableFuture<Answer> purge(String body);

        /**
         * The reachable nodes following the log, each with the last sequence it applied: answered
         * once every reachable node applied {@code minApplied}, or after {@code wait}. Completes
         * exceptionally (with a {@link LoadtestException} naming the reason) when the API cannot say.
         */
        CompletableFuture<Map<String, Long>> nodes(Duration wait, long minApplied);
    }

    /** A purge's answer: the outcome and, for a {@code 202}, the purge's sequence number (else 0). */
    public record Answer(Outcome outcome, long seq) {
        public Answer {
            requireNonNull(outcome, "outcome");
        }
    }

    /**
     * What the live progress line shows.
     *
     * @param elapsedSeconds since the start
     * @param accepted purges answered 202 so far
     * @param confirmed purges seen applied on every node so far
     * @param pending accepted purges not yet seen applied everywhere
     * @param errors errors so far
     * @param interval the last second: purges accepted in it, and the propagation of those confirmed
     */
    public record Progress(
            double elapsedSeconds,
            long accepted,
            long confirmed,
            long pending,
            long errors,
            LoadReport.Interval interval) {
        /** One line such as {@code [  3s] 3000 accepted  1000/s  applied 2995  pending 5  err 0  propagation p50 2.10 p99 8.20 max 11.0 ms}. */
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "[%4.0fs] %d accepted  %d/s  applied %d  pending %d  err %d  propagation p50 %.2f p99 %.2f"
                            + " max %.1f ms",
                    elapsedSeconds,
                    accepted,
                    interval.requests(),
                    confirmed,
                    pending,
                    errors,
                    interval.p50(),
                    interval.p99(),
                    interval.max());
        }
    }

    /** An accepted purge not yet seen applied everywhere: when it was due, sent, and when its 202 came. */
    private record Sent(long intended, long sent, long accepted) {}

    /** The lowest sequence every node was seen to have applied, and when. */
    private record Observation(long applied, long at) {}

    private final PurgePlan plan;
    private final Api api;
    private final Ticker ticker;
    private final Clock clock;
    private final String runId;
    private final PurgeStats stats = new PurgeStats();
    private final ConcurrentNavigableMap<Long, Sent> pending = new ConcurrentSkipListMap<>();
    /** Touched by the watcher only (and by {@link #run} before it starts). */
    private final Map<String, Long> lastApplied = new HashMap<>();

    private volatile Observation observed = new Observation(Long.MAX_VALUE, 0);

    /**
     * @param clock the wall clock, only for the report's start time
     * @param runId names this run's purge targets: letters and digits
     */
    public PurgeStorm(PurgePlan plan, Api api, Ticker ticker, Clock clock, String runId) {
        this.plan = requireNonNull(plan, "plan");
        this.api = requireNonNull(api, "api");
        this.ticker = requireNonNull(ticker, "ticker");
        this.clock = requireNonNull(clock, "clock");
        if (!runId.matches("[a-z0-9]{1,32}")) {
            throw new IllegalArgumentException("runId: \"" + runId + "\" (expected: 1 to 32 of a-z, 0-9)");
        }
        this.runId = runId;
    }

    /**
     * Finds the nodes, runs the storm (and {@code hits} beside it) to the bounds, waits for the
     * purges to be applied everywhere, and reports.
     *
     * @param progress called once a second from a background thread, or null for none
     * @param hits cache traffic to send during the storm, or null for none
     * @throws LoadtestException when the API lists no node (or fewer than the plan's) following it
     */
    public PurgeReport run(@Nullable Consumer<Progress> progress, @Nullable LoadRun hits) throws InterruptedException {
        List<String> nodes = nodes();
        observed = new Observation(lowestApplied(nodes), ticker.read());
        String startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        long start = ticker.read();
        long deadline = start + plan.duration().toNanos();
        Thread watcher = new Thread(() -> watch(nodes), "loadtest-purge-watch");
        watcher.setDaemon(true);
        watcher.start();
        CompletableFuture<LoadReport> hitReport = hits == null ? null : runBeside(hits);
        ScheduledExecutorService sampler = LoadRun.everySecond(() -> sampleAndShow(start, progress));
        long unsent;
        try {
            unsent = OpenLoop.run(
                    ticker, start, deadline, plan.rate(), plan.purges(), plan.connections(), plan.drain(), this::send);
            awaitApplied(ticker.read() + plan.drain().toNanos());
        } finally {
            watcher.interrupt();
            watcher.join(TimeUnit.SECONDS.toMillis(5));
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        long end = ticker.read();
        stats.sample(end - start);
        LoadReport hitsDone = hitReport == null ? null : join(hitReport);
        return stats.report(plan, nodes, MIX, startedAt, start, (end - start) / 1e9, unsent, pending.size(), hitsDone);
    }

    /** The nodes that must apply every purge: the reachable ones, once there are as many as the plan wants. */
    private List<String> nodes() throws InterruptedException {
        long giveUp = ticker.read() + START_WAIT.toNanos();
        while (true) {
            Map<String, Long> reachable = join(api.nodes(Duration.ZERO, 0));
            if (!reachable.isEmpty() && reachable.size() >= plan.nodes()) {
                lastApplied.putAll(reachable);
                return reachable.keySet().stream().sorted().toList();
            }
            if (ticker.read() - giveUp >= 0) {
                throw new LoadtestException("the purge API " + plan.api() + " lists " + reachable.size()
                        + " reachable nodes following its log (expected: at least "
                        + Math.max(1, plan.nodes()) + "; do the nodes' node.purge-api name it?)");
            }
            ticker.awaitUntil(ticker.read() + RETRY_NANOS);
        }
    }

    private <T> T join(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof LoadtestException failure) {
                throw failure;
            }
            throw new LoadtestException(
                    "the purge API " + plan.api() + " cannot be reached: "
                            + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                    cause);
        }
    }

    private CompletableFuture<LoadReport> runBeside(LoadRun hits) {
        CompletableFuture<LoadReport> report = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        report.complete(hits.run(null));
                    } catch (InterruptedException e) {
                        report.completeExceptionally(e);
                    } catch (RuntimeException e) {
                        report.completeExceptionally(e);
                    }
                },
                "loadtest-hits");
        thread.setDaemon(true);
        thread.start();
        return report;
    }

    private long lowestApplied(List<String> nodes) {
        long lowest = Long.MAX_VALUE;
        for (String node : nodes) {
            lowest = Math.min(lowest, lastApplied.getOrDefault(node, -1L));
        }
        return lowest;
    }

    /** Keeps one node-list long-poll open until interrupted; completes purges as the slowest node advances. */
    private void watch(List<String> nodes) {
        while (!Thread.currentThread().isInterrupted()) {
            long applied = observed.applied();
            Map<String, Long> answer;
            try {
                answer = api.nodes(WATCH_WAIT, applied + 1).get();
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException e) {
                stats.watchFailed(e.getCause() == null ? e : e.getCause());
                try {
                    ticker.awaitUntil(ticker.read() + RETRY_NANOS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            long now = ticker.read();
            stats.observed();
            answer.forEach((node, seq) -> lastApplied.merge(node, seq, Math::max));
            long lowest = lowestApplied(nodes);
            if (lowest > applied) {
                observed = new Observation(lowest, now);
                for (Map.Entry<Long, Sent> done : pending.headMap(lowest, true).entrySet()) {
                    if (pending.remove(done.getKey()) != null) {
                        Sent purge = done.getValue();
                        stats.confirmed(purge.intended(), purge.sent(), purge.accepted(), now);
                    }
                }
            }
        }
    }

    /** Sends purge {@code i} now; the future completes after its answer is recorded. */
    private CompletableFuture<Answer> send(long i, long intended) {
        String body = body(i);
        long sentAt = ticker.read();
        stats.sent();
        return LoadRun.failingAsFuture(() -> api.purge(body)).handle((got, failure) -> {
            long now = ticker.read();
            Answer a = got != null ? got : new Answer(Outcome.failed(HttpTransport.kindOf(requireNonNull(failure))), 0);
            stats.answered(a.outcome(), intended, now);
            if (a.outcome().status() == 202) {
                accepted(a.seq(), new Sent(intended, sentAt, now));
            }
            return a;
        });
    }

    private void accepted(long seq, Sent purge) {
        pending.put(seq, purge);
        // The watcher publishes an observation before it completes the purges it covers: either it
        // finds this one pending, or this finds its observation.
        Observation seen = observed;
        if (seen.applied() >= seq && pending.remove(seq) != null) {
            stats.confirmed(purge.intended(), purge.sent(), purge.accepted(), seen.at());
        }
    }

    /** The body of purge {@code i}: three URLs, a prefix and a tag of every five. */
    String body(long i) {
        String id = runId + "-" + i;
        return switch ((int) (i % 5)) {
            case 3 -> "{\"prefixes\":[\"" + plan.host() + "/loadtest-purge/" + id + "\"]}";
            case 4 -> "{\"tags\":[\"loadtest-purge-" + id + "\"]}";
            default -> "{\"urls\":[\"http://" + plan.host() + "/loadtest-purge/" + id + "\"]}";
        };
    }

    /** Waits until every purge sent is answered and every accepted one applied, or {@code until}. */
    private void awaitApplied(long until) throws InterruptedException {
        while (stats.answeredCount() < stats.sentCount() || !pending.isEmpty()) {
            long now = ticker.read();
            if (now - until >= 0) {
                return;
            }
            ticker.awaitUntil(Math.min(until, now + TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    private void sampleAndShow(long start, @Nullable Consumer<Progress> progress) {
        long now = ticker.read();
        LoadReport.Interval interval = stats.sample(now - start);
        if (progress != null) {
            progress.accept(new Progress(
                    (now - start) / 1e9,
                    stats.acceptedCount(),
                    stats.confirmedCount(),
                    pending.size(),
                    stats.errorCount(),
                    interval));
        }
    }
}
