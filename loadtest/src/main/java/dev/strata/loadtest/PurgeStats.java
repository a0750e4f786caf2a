package dev.strata.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * The counters and histograms of one {@link PurgeStorm}, as {@link LoadStats} keeps a load run's:
 * recording is wait-free from any thread, {@link #sample} (once a second, and at the end) moves the
 * interval's histograms into the totals and the timeline. Latencies are kept in microseconds.
 */
final class PurgeStats {
    private static final int DIGITS = 3;

    private final Recorder propagation = new Recorder(DIGITS);
    private final Recorder accept = new Recorder(DIGITS);
    private final Recorder endToEnd = new Recorder(DIGITS);
    private final Recorder fromSend = new Recorder(DIGITS);
    private final Histogram propagationTotal = new Histogram(DIGITS);
    private final Histogram acceptTotal = new Histogram(DIGITS);
    private final Histogram endToEndTotal = new Histogram(DIGITS);
    private final Histogram fromSendTotal = new Histogram(DIGITS);
    private final AtomicLong sent = new AtomicLong();
    private final LongAdder answered = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder confirmed = new LongAdder();
    private final LongAdder appliedBeforeAccepted = new LongAdder();
    private final LongAdder errorTotal = new LongAdder();
    private final LongAdder observations = new LongAdder();
    private final AtomicLong lastAccepted = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastConfirmed = new AtomicLong(Long.MIN_VALUE);
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();

    // Guarded by this: touched by sample() only.
    private final List<LoadReport.Interval> timeline = new ArrayList<>();
    private @Nullable Histogram propagationInterval;
    private @Nullable Histogram acceptInterval;
    private @Nullable Histogram endToEndInterval;
    private @Nullable Histogram fromSendInterval;
    private long sampledAccepted;
    private long sampledErrors;

    void sent() {
        sent.incrementAndGet();
    }

    long sentCount() {
        return sent.get();
    }

    long answeredCount() {
        return answered.sum();
    }

    long acceptedCount() {
        return accepted.sum();
    }

    long confirmedCount() {
        return confirmed.sum();
    }

    long errorCount() {
        return errorTotal.sum();
    }

    void observed() {
        observations.increment();
    }

    /**
     * A node-list request that failed (and is sent again): counted as an error of kind {@code
     * watch-CAUSE}, the failure's class, such as {@code watch-ConnectionClosedException}.
     */
    void watchFailed(Throwable cause) {
        errors.computeIfAbsent("watch-" + cause.getClass().getSimpleName(), k -> new LongAdder())
                .increment();
        errorTotal.increment();
    }

    /**
     * Records a purge's answer.
     *
     * @param intended when the schedule wanted it sent, in nanoseconds
     * @param end when the answer arrived
     */
    void answered(Outcome outcome, long intended, long end) {
        if (outcome.status() != 0) {
            statuses.computeIfAbsent(Integer.toString(outcome.status()), k -> new LongAdder())
                    .increment();
        }
        String kind = outcome.status() == 202 ? null : errorKind(outcome);
        if (kind == null) {
            accept.recordValue(micros(end - intended));
            lastAccepted.accumulateAndGet(end, Math::max);
            accepted.increment();
        } else {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
            errorTotal.increment();
        }
        answered.increment();
    }

    /** An answer that is not a 202 is an error: another 2xx or 3xx too, as {@code unexpected-STATUS}. */
    private static String errorKind(Outcome outcome) {
        String kind = outcome.errorKind();
        return kind != null ? kind : "unexpected-" + outcome.status();
    }

    /**
     * Records that a purge was seen applied on every node.
     *
     * @param intended when it was due
     * @param sent when it was sent
     * @param accepted when its 202 arrived
     * @param applied when it was seen applied everywhere; before {@code accepted} when that was seen
     *     first
     */
    void confirmed(long intended, long sent, long accepted, long applied) {
        if (applied - accepted < 0) {
            appliedBeforeAccepted.increment();
        }
        long seen = Math.max(applied, accepted);
        propagation.recordValue(micros(seen - accepted));
        endToEnd.recordValue(micros(seen - intended));
        fromSend.recordValue(micros(seen - sent));
        lastConfirmed.accumulateAndGet(seen, Math::max);
        confirmed.increment();
    }

    private static long micros(long nanos) {
        return Math.max(0, nanos / 1000);
    }

    /**
     * Closes the interval that ends {@code elapsedNanos} after the start.
     *
     * @return the interval: purges accepted in it, errors, and the propagation of the purges
     *     confirmed in it
     */
    synchronized LoadReport.Interval sample(long elapsedNanos) {
        Histogram p = propagation.getIntervalHistogram(propagationInterval);
        Histogram a = accept.getIntervalHistogram(acceptInterval);
        Histogram e = endToEnd.getIntervalHistogram(endToEndInterval);
        Histogram s = fromSend.getIntervalHistogram(fromSendInterval);
        propagationTotal.add(p);
        acceptTotal.add(a);
        endToEndTotal.add(e);
        fromSendTotal.add(s);
        propagationInterval = p;
        acceptInterval = a;
        endToEndInterval = e;
        fromSendInterval = s;
        long done = accepted.sum();
        long failed = errorTotal.sum();
        LoadReport.Latency summary = LoadStats.summarize(p);
        LoadReport.Interval interval = new LoadReport.Interval(
                elapsedNanos / 1e9,
                done - sampledAccepted,
                failed - sampledErrors,
                summary.p50(),
                summary.p90(),
                summary.p99(),
                summary.max());
        timeline.add(interval);
        sampledAccepted = done;
        sampledErrors = failed;
        return interval;
    }

    /**
     * The report; call after the last {@link #sample}.
     *
     * @param start when the first purge was due, in nanoseconds
     */
    synchronized PurgeReport report(
            PurgePlan plan,
            List<String> nodes,
            String mix,
            String startedAt,
            long start,
            double elapsedSeconds,
            long unsent,
            long unconfirmed,
            @Nullable LoadReport hits) {
        return new PurgeReport(
                plan.api().toString(),
                nodes,
                mix,
                plan.rate(),
                plan.connections(),
                plan.duration().toNanos() / 1e9,
                plan.purges(),
                startedAt,
                elapsedSeconds,
                sent.get(),
                accepted.sum(),
                unsent,
                unconfirmed,
                appliedBeforeAccepted.sum(),
                perSecond(accepted.sum(), lastAccepted.get(), start),
                perSecond(confirmed.sum(), lastConfirmed.get(), start),
                LoadStats.sums(errors),
                LoadStats.sums(statuses),
                LoadStats.summarize(propagationTotal),
                LoadStats.summarize(acceptTotal),
                LoadStats.summarize(endToEndTotal),
                LoadStats.summarize(fromSendTotal),
                LoadStats.distribution(propagationTotal),
                LoadStats.distribution(acceptTotal),
                timeline,
                observations.sum(),
                hits);
    }

    private static double perSecond(long count, long last, long start) {
        return count == 0 || last - start <= 0 ? 0 : count / ((last - start) / 1e9);
    }
}
