package dev.strata.loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * The counters and histograms of one run. Recording is wait-free from any thread (HdrHistogram's
 * {@link Recorder} and {@link LongAdder}s); {@link #sample} (once a second, and at the end) moves
 * the interval's histograms into the totals and the timeline. Latencies are kept in microseconds.
 */
final class LoadStats {
    private static final int DIGITS = 3;

    private final boolean trackUrls;
    private final Recorder latency = new Recorder(DIGITS);
    private final Recorder service = new Recorder(DIGITS);
    private final Histogram latencyTotal = new Histogram(DIGITS);
    private final Histogram serviceTotal = new Histogram(DIGITS);
    private final AtomicLong sent = new AtomicLong();
    private final LongAdder completed = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder errorTotal = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> xCache = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> perUrl = new ConcurrentHashMap<>();

    // Guarded by this: touched by sample() only.
    private final List<LoadReport.Interval> timeline = new ArrayList<>();
    private @Nullable Histogram latencyInterval;
    private @Nullable Histogram serviceInterval;
    private long sampledCompleted;
    private long sampledErrors;
    private LoadReport.Latency lastInterval = new LoadReport.Latency(0, 0, 0, 0, 0, 0, 0);

    LoadStats(boolean trackUrls) {
        this.trackUrls = trackUrls;
    }

    void sent() {
        sent.incrementAndGet();
    }

    long sentCount() {
        return sent.get();
    }

    long completedCount() {
        return completed.sum();
    }

    /**
     * Records one request's end.
     *
     * @param intended when the schedule wanted it sent ({@code sentAt} in a closed loop), in nanoseconds
     * @param sentAt when it was sent
     * @param end when it ended
     */
    void record(URI uri, Outcome outcome, long intended, long sentAt, long end) {
        latency.recordValue(Math.max(0, (end - intended) / 1000));
        service.recordValue(Math.max(0, (end - sentAt) / 1000));
        bytes.add(outcome.bodyBytes());
        String kind = outcome.errorKind();
        if (kind == null) {
            ok.increment();
        } else {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
            errorTotal.increment();
        }
        if (outcome.status() != 0) {
            statuses.computeIfAbsent(Integer.toString(outcome.status()), k -> new LongAdder())
                    .increment();
            String cacheStatus = cacheStatus(outcome.xCache());
            xCache.computeIfAbsent(cacheStatus, k -> new LongAdder()).increment();
            if (trackUrls) {
                perUrl.computeIfAbsent(
                                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                                k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(cacheStatus, k -> new LongAdder())
                        .increment();
            }
        }
        completed.increment();
    }

    /** The first word of an {@code X-Cache} value, upper case; {@code none} without the header. */
    static String cacheStatus(@Nullable String xCache) {
        if (xCache == null || xCache.isBlank()) {
            return "none";
        }
        String first = xCache.strip().split("[\\s,;]", 2)[0];
        return first.toUpperCase(Locale.ROOT);
    }

    static boolean isHit(String cacheStatus) {
        return cacheStatus.equals("HIT") || cacheStatus.equals("STALE") || cacheStatus.equals("REVALIDATED");
    }

    /** Closes the interval that ends {@code elapsedNanos} after the start; returns its latency. */
    synchronized LoadReport.Latency sample(long elapsedNanos) {
        Histogram l = latency.getIntervalHistogram(latencyInterval);
        Histogram s = service.getIntervalHistogram(serviceInterval);
        latencyTotal.add(l);
        serviceTotal.add(s);
        latencyInterval = l;
        serviceInterval = s;
        long done = completed.sum();
        long failed = errorTotal.sum();
        // A request counted in `completed` has its latency recorded already: the histogram is written first.
        LoadReport.Latency summary = summarize(l);
        timeline.add(new LoadReport.Interval(
                elapsedNanos / 1e9,
                done - sampledCompleted,
                failed - sampledErrors,
                summary.p50(),
                summary.p90(),
                summary.p99(),
                summary.max()));
        sampledCompleted = done;
        sampledErrors = failed;
        lastInterval = summary;
        return summary;
    }

    synchronized LoadReport.Latency lastInterval() {
        return lastInterval;
    }

    long errorCount() {
        return errorTotal.sum();
    }

    /** HIT, STALE and REVALIDATED over all responses with {@code X-Cache}; null without any. */
    @Nullable
    Double hitRatio() {
        long hits = 0;
        long all = 0;
        for (Map.Entry<String, LongAdder> e : xCache.entrySet()) {
            if (e.getKey().equals("none")) {
                continue;
            }
            long n = e.getValue().sum();
            all += n;
            if (isHit(e.getKey())) {
                hits += n;
            }
        }
        return all == 0 ? null : (double) hits / all;
    }

    /** The report; call after the last {@link #sample}. */
    synchronized LoadReport report(
            LoadPlan plan, Workload workload, String startedAt, double elapsedSeconds, long unsent) {
        long sentCount = sent.get();
        long done = completed.sum();
        return new LoadReport(
                plan.target().toString(),
                workload.describe(),
                plan.mode().name().toLowerCase(Locale.ROOT),
                plan.mode() == LoadPlan.Mode.OPEN ? plan.rate() : 0,
                plan.connections(),
                plan.duration().toNanos() / 1e9,
                plan.requests(),
                startedAt,
                elapsedSeconds,
                sentCount,
                done,
                ok.sum(),
                unsent,
                Math.max(0, sentCount - done),
                sums(errors),
                sums(statuses),
                sums(xCache),
                hitRatio(),
                bytes.sum(),
                summarize(latencyTotal),
                summarize(serviceTotal),
                distribution(latencyTotal),
                distribution(serviceTotal),
                timeline,
                perUrlSums(),
                null);
    }

    private Map<String, Map<String, Long>> perUrlSums() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        perUrl.forEach((url, counts) -> out.put(url, sums(counts)));
        return out;
    }

    static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static LoadReport.Latency summarize(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LoadReport.Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new LoadReport.Latency(
                h.getTotalCount(),
                h.getMean() / 1000,
                ms(h, 50),
                ms(h, 90),
                ms(h, 99),
                ms(h, 99.9),
                h.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Latency at percentiles 0, 68.4, 90, 96.8, 99, ... (four per decade of 1/(1-p)), then 100. */
    static List<LoadReport.Percentile> distribution(Histogram h) {
        List<LoadReport.Percentile> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (int j = 0; j <= 24; j++) {
            double p = 100 * (1 - Math.pow(10, -j / 4.0));
            points.add(new LoadReport.Percentile(p, ms(h, p)));
            if (Math.pow(10, j / 4.0) > h.getTotalCount()) {
                break; // beyond one in totalCount, every percentile is the maximum
            }
        }
        points.add(new LoadReport.Percentile(100, h.getMaxValue() / 1000.0));
        return points;
    }
}
