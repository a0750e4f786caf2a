package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.net.URI;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One load run: sends a {@link Workload}'s requests through a {@link Transport} as a {@link
 * LoadPlan} says, and reports.
 *
 * <p><b>Open loop.</b> Request {@code i} is due at {@code start + i / rate}, whatever happened to
 * the earlier ones, and its latency counts from that intended time, not from when it was actually
 * sent. A server that stalls for a second therefore shows a second of latency on the request that
 * stalled and a falling ramp on every request due during the stall, as the users who would have
 * sent them would see. Measuring from the actual send instead hides the stall in one sample: the
 * load generator "coordinates" with the server and omits the delayed requests (Gil Tene, "How
 * NOT to Measure Latency", 2015; wrk2). One thread paces the schedule; at most {@code connections}
 * requests are in flight, and a request due while all are busy waits for a free one (its latency
 * keeps counting). Requests still waiting at the time bound are reported as {@code unsent}.
 *
 * <p><b>Closed loop.</b> Each of {@code connections} workers sends its next request when the
 * previous one ended; latency counts from the send. It measures the most the target serves at that
 * concurrency, and hides stalls as a closed loop does.
 *
 * <p>Both stop at the time or request bound, wait at most {@code drain} for requests in flight,
 * and report; the caller then closes the transport. Not reusable: one {@link #run} per instance.
 */
public final class LoadRun {
    /** Sends one request; thread-safe, never blocks; failures complete the future with an outcome. */
    public interface Transport {
        CompletableFuture<Outcome> send(URI uri);
    }

    /**
     * What the live progress line shows.
     *
     * @param elapsedSeconds since the start
     * @param completed requests ended so far
     * @param rate requests ended per second in the last interval
     * @param interval the last interval's latency
     * @param errors errors so far
     * @param hitRatio the hit ratio so far, or null without {@code X-Cache}
     * @param inFlight requests sent and not yet ended
     */
    public record Progress(
            double elapsedSeconds,
            long completed,
            double rate,
            LoadReport.Latency interval,
            long errors,
            @Nullable Double hitRatio,
            long inFlight) {
        /** One line such as {@code [  3s] 30012 done  10004/s  p50 0.21 p99 1.20 max 3.1 ms  err 0  hit 99.9%  in-flight 2}. */
        public String line() {
            return String.format(
                    Locale.ROOT,
                    "[%4.0fs] %d done  %.0f/s  p50 %.2f p99 %.2f max %.1f ms  err %d  hit %s  in-flight %d",
                    elapsedSeconds,
                    completed,
                    rate,
                    interval.p50(),
                    interval.p99(),
                    interval.max(),
                    errors,
                    hitRatio == null ? "-" : String.format(Locale.ROOT, "%.1f%%", hitRatio * 100),
                    inFlight);
        }
    }

    private final LoadPlan plan;
    private final Workload workload;
    private final Transport transport;
    private final Ticker ticker;
    private final Clock clock;
    private final LoadStats stats;
    private final long limit;

    /**
     * @param clock the wall clock, only for the report's start time
     */
    public LoadRun(LoadPlan plan, Workload workload, Transport transport, Ticker ticker, Clock clock) {
        this.plan = requireNonNull(plan, "plan");
        this.workload = requireNonNull(workload, "workload");
        this.transport = requireNonNull(transport, "transport");
        this.ticker = requireNonNull(ticker, "ticker");
        this.clock = requireNonNull(clock, "clock");
        this.stats = new LoadStats(workload.tracksUrls());
        this.limit = Math.min(plan.requests(), workload.maxRequests());
    }

    /**
     * Runs to the bounds and reports.
     *
     * @param progress called once a second from a background thread, or null for none
     */
    public LoadReport run(@Nullable Consumer<Progress> progress) throws InterruptedException {
        String startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        long start = ticker.read();
        long deadline = start + plan.duration().toNanos();
        ScheduledExecutorService sampler = everySecond(() -> sampleAndShow(start, progress));
        long unsent;
        try {
            unsent = plan.mode() == LoadPlan.Mode.OPEN ? openLoop(start, deadline) : closedLoop(deadline);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }
        long end = ticker.read();
        stats.sample(end - start);
        return stats.report(plan, workload, startedAt, (end - start) / 1e9, unsent);
    }

    private void sampleAndShow(long start, @Nullable Consumer<Progress> progress) {
        long now = ticker.read();
        LoadReport.Latency interval = stats.sample(now - start);
        if (progress != null) {
            long completed = stats.completedCount();
            progress.accept(new Progress(
                    (now - start) / 1e9,
                    completed,
                    interval.count(),
                    interval,
                    stats.errorCount(),
                    stats.hitRatio(),
                    Math.max(0, stats.sentCount() - completed)));
        }
    }

    /** The open loop; returns how many due requests were never sent. */
    private long openLoop(long start, long deadline) throws InterruptedException {
        return OpenLoop.run(ticker, start, deadline, plan.rate(), limit, plan.connections(), plan.drain(), this::send);
    }

    /** The closed loop; never leaves requests unsent. */
    private long closedLoop(long deadline) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        int workers = (int) Math.min(plan.connections(), limit);
        CountDownLatch done = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            worker(next, deadline, done);
        }
        long wait = Math.max(0, deadline - ticker.read()) + plan.drain().toNanos();
        done.await(wait, NANOSECONDS);
        return 0;
    }

    /** Sends requests one after the other until a bound; loops instead of recursing on quick ends. */
    private void worker(AtomicLong next, long deadline, CountDownLatch done) {
        while (true) {
            long i = next.getAndIncrement();
            if (i >= limit || ticker.read() - deadline >= 0) {
                done.countDown();
                return;
            }
            long sentAt = ticker.read();
            CompletableFuture<Outcome> ended = send(i, sentAt);
            if (!ended.isDone()) {
                ended.whenComplete((ignored, failure) -> worker(next, deadline, done));
                return;
            }
        }
    }

    /** Runs {@code task} once a second, from a second from now, on a daemon thread of its own. */
    static ScheduledExecutorService everySecond(Runnable task) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadtest-progress");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(task, 1, 1, TimeUnit.SECONDS);
        return sampler;
    }

    /** What {@code call} returns, or a future failed with what it threw. */
    static <T> CompletableFuture<T> failingAsFuture(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sends request {@code i} now and records it when it ends; the future completes after recording. */
    private CompletableFuture<Outcome> send(long i, long intended) {
        URI uri = workload.uri(i);
        long sentAt = ticker.read();
        stats.sent();
        return failingAsFuture(() -> transport.send(uri)).handle((outcome, failure) -> {
            Outcome o = outcome != null ? outcome : Outcome.failed(HttpTransport.kindOf(requireNonNull(failure)));
            stats.record(uri, o, intended, sentAt, ticker.read());
            return o;
        });
    }
}
