package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The result of a run: counts, bytes, cache hits and latency. Latency is in milliseconds; in the
 * open loop {@code latency} counts from each request's intended start (corrected for coordinated
 * omission) and {@code serviceTime} from its actual send, in the closed loop the two are equal.
 *
 * @param target the target URL
 * @param workload the workload's description
 * @param mode {@code open} or {@code closed}
 * @param rate the open loop's requests per second; 0 in the closed loop
 * @param connections the connections
 * @param durationLimitSeconds the run's time bound
 * @param requestLimit the run's request bound
 * @param startedAt when the run started (ISO-8601, UTC)
 * @param elapsedSeconds from the first send to the last response (or the end of the drain)
 * @param sent requests sent
 * @param completed requests that ended, with a response or a failure
 * @param ok responses with a status below 400
 * @param unsent open loop only: requests the schedule wanted before the time bound that the
 *     in-flight cap kept from being sent
 * @param unfinished requests still in flight when the run gave up waiting
 * @param errors error counts by kind ({@code http-4xx}, {@code http-5xx}, {@code connect},
 *     {@code timeout}, {@code closed}, {@code io}, ...)
 * @param statuses response counts by status code
 * @param xCache response counts by {@code X-Cache} value ({@code none} without the header)
 * @param hitRatio HIT, STALE and REVALIDATED over all responses carrying {@code X-Cache}, or null
 *     when none did
 * @param bytes body bytes received
 * @param latency the latency summary
 * @param serviceTime the service-time summary
 * @param distribution latency by percentile
 * @param serviceDistribution service time by percentile
 * @param timeline one entry per second of the run
 * @param perUrl {@code X-Cache} counts per URL (cold-storm only), else empty
 * @param originRequests requests the embedded test origin received, or null when it did not run
 */
public record LoadReport(
        String target,
        String workload,
        String mode,
        double rate,
        int connections,
        double durationLimitSeconds,
        long requestLimit,
        String startedAt,
        double elapsedSeconds,
        long sent,
        long completed,
        long ok,
        long unsent,
        long unfinished,
        Map<String, Long> errors,
        Map<String, Long> statuses,
        Map<String, Long> xCache,
        @Nullable Double hitRatio,
        long bytes,
        Latency latency,
        Latency serviceTime,
        List<Percentile> distribution,
        List<Percentile> serviceDistribution,
        List<Interval> timeline,
        Map<String, Map<String, Long>> perUrl,
        @Nullable Long originRequests) {

    public LoadReport {
        requireNonNull(target, "target");
        requireNonNull(workload, "workload");
        requireNonNull(mode, "mode");
        requireNonNull(startedAt, "startedAt");
        errors = Map.copyOf(errors);
        statuses = Map.copyOf(statuses);
        xCache = Map.copyOf(xCache);
        requireNonNull(latency, "latency");
        requireNonNull(serviceTime, "serviceTime");
        distribution = List.copyOf(distribution);
        serviceDistribution = List.copyOf(serviceDistribution);
        timeline = List.copyOf(timeline);
        perUrl = Map.copyOf(perUrl);
    }

    /**
     * A latency summary in milliseconds.
     *
     * @param count how many values
     */
    public record Latency(long count, double mean, double p50, double p90, double p99, double p999, double max) {}

    /** The latency in milliseconds at {@code percentile} (0 to 100). */
    public record Percentile(double percentile, double millis) {}

    /**
     * One second of the run.
     *
     * @param second seconds since the start at the end of this interval
     * @param requests responses and failures in the interval
     * @param errors errors in the interval
     * @param p50 latency percentiles and maximum in milliseconds, 0 without requests
     */
    public record Interval(double second, long requests, long errors, double p50, double p90, double p99, double max) {}

    /** Completed requests per second. */
    public double throughput() {
        return elapsedSeconds > 0 ? completed / elapsedSeconds : 0;
    }

    /** All errors. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** This report with the test origin's request count. */
    public LoadReport withOriginRequests(long count) {
        return new LoadReport(
                target,
                workload,
                mode,
                rate,
                connections,
                durationLimitSeconds,
                requestLimit,
                startedAt,
                elapsedSeconds,
                sent,
                completed,
                ok,
                unsent,
                unfinished,
                errors,
                statuses,
                xCache,
                hitRatio,
                bytes,
                latency,
                serviceTime,
                distribution,
                serviceDistribution,
                timeline,
                perUrl,
                count);
    }

    /** The report for a terminal, a few lines. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "target      %s%nworkload    %s, %s loop%s, %d connections%n",
                target,
                workload,
                mode,
                mode.equals("open") ? String.format(Locale.ROOT, " at %.0f/s", rate) : "",
                connections));
        s.append(String.format(
                Locale.ROOT,
                "requests    %d sent, %d completed, %d ok in %.2f s: %.0f req/s%n",
                sent,
                completed,
                ok,
                elapsedSeconds,
                throughput()));
        if (unsent > 0 || unfinished > 0) {
            s.append(String.format(
                    Locale.ROOT, "not done    %d unsent (in-flight cap), %d unfinished%n", unsent, unfinished));
        }
        s.append(String.format(
                Locale.ROOT,
                "bytes       %d (%.1f MiB/s)%n",
                bytes,
                elapsedSeconds > 0 ? bytes / elapsedSeconds / (1024 * 1024) : 0));
        s.append("errors      ").append(errorCount()).append(errors.isEmpty() ? "" : " " + sorted(errors));
        s.append('\n');
        s.append("x-cache     ")
                .append(sorted(xCache))
                .append(
                        hitRatio == null
                                ? ", no hit ratio (no X-Cache)"
                                : String.format(Locale.ROOT, ", hit ratio %.2f %%", hitRatio * 100));
        s.append('\n');
        s.append(latencyLine("latency     ", latency));
        if (mode.equals("open")) {
            s.append(latencyLine("service     ", serviceTime));
        }
        if (originRequests != null) {
            s.append("origin      ").append(originRequests).append(" requests\n");
        }
        if (!perUrl.isEmpty()) {
            perUrl.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .limit(20)
                    .forEach(e -> s.append("  ")
                            .append(e.getKey())
                            .append(' ')
                            .append(sorted(e.getValue()))
                            .append('\n'));
            if (perUrl.size() > 20) {
                s.append("  ... ").append(perUrl.size() - 20).append(" more URLs in the JSON report\n");
            }
        }
        return s.toString();
    }

    static String latencyLine(String label, Latency l) {
        return String.format(
                Locale.ROOT,
                "%sms p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
                label,
                l.p50(),
                l.p90(),
                l.p99(),
                l.p999(),
                l.max(),
                l.mean());
    }

    private static String sorted(Map<String, Long> counts) {
        return new java.util.TreeMap<>(counts).toString();
    }
}
