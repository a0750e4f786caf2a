package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The result of a {@link PurgeStorm}. Latency is in milliseconds: {@code propagation} from a
 * purge's {@code 202} to the moment every node was seen to have applied it, {@code accept} from
 * its due time to its {@code 202} (corrected for coordinated omission, as an open loop's latency),
 * {@code endToEnd} from its due time to applied everywhere, {@code fromSend} from the moment it
 * was sent to applied everywhere (the time its sender waits, its 202 included).
 *
 * @param api the purge API's URL
 * @param nodes the nodes that had to apply every purge
 * @param mix what the purges named
 * @param rate purges per second asked for
 * @param connections the most purges unanswered at once
 * @param durationLimitSeconds the storm's time bound
 * @param purgeLimit the storm's purge bound
 * @param startedAt when the storm started (ISO-8601, UTC)
 * @param elapsedSeconds from the first purge to the end (every purge applied, or the drain's end)
 * @param sent purges sent
 * @param accepted purges answered {@code 202}
 * @param unsent purges due before the time bound that the in-flight cap kept from being sent
 * @param unconfirmed accepted purges not seen applied on every node when the storm gave up
 *     waiting
 * @param appliedBeforeAccepted purges seen applied everywhere before their {@code 202} arrived
 *     (their propagation counts as 0)
 * @param acceptRate {@code 202}s per second, from the first purge's due time to the last 202
 * @param applyRate purges applied everywhere per second, from the first purge's due time to the
 *     last one seen applied
 * @param errors error counts by kind ({@code http-4xx}, {@code http-5xx}, {@code timeout}, ...; {@code
 *     watch}: node-list requests that failed)
 * @param statuses answer counts by status code
 * @param propagation 202 to applied on every node
 * @param accept due time to 202
 * @param endToEnd due time to applied on every node
 * @param fromSend sent to applied on every node
 * @param propagationDistribution propagation by percentile
 * @param acceptDistribution accept latency by percentile
 * @param timeline one entry per second: purges accepted, errors, and the propagation of the purges
 *     seen applied in that second
 * @param observations answers of the purge API's node list that the storm watched progress with
 * @param hits the cache traffic sent during the storm, or null when none was
 */
public record PurgeReport(
        String api,
        List<String> nodes,
        String mix,
        double rate,
        int connections,
        double durationLimitSeconds,
        long purgeLimit,
        String startedAt,
        double elapsedSeconds,
        long sent,
        long accepted,
        long unsent,
        long unconfirmed,
        long appliedBeforeAccepted,
        double acceptRate,
        double applyRate,
        Map<String, Long> errors,
        Map<String, Long> statuses,
        LoadReport.Latency propagation,
        LoadReport.Latency accept,
        LoadReport.Latency endToEnd,
        LoadReport.Latency fromSend,
        List<LoadReport.Percentile> propagationDistribution,
        List<LoadReport.Percentile> acceptDistribution,
        List<LoadReport.Interval> timeline,
        long observations,
        @Nullable LoadReport hits) {

    public PurgeReport {
        requireNonNull(api, "api");
        nodes = List.copyOf(nodes);
        requireNonNull(mix, "mix");
        requireNonNull(startedAt, "startedAt");
        errors = Map.copyOf(errors);
        statuses = Map.copyOf(statuses);
        requireNonNull(propagation, "propagation");
        requireNonNull(accept, "accept");
        requireNonNull(endToEnd, "endToEnd");
        requireNonNull(fromSend, "fromSend");
        propagationDistribution = List.copyOf(propagationDistribution);
        acceptDistribution = List.copyOf(acceptDistribution);
        timeline = List.copyOf(timeline);
    }

    /** Purges seen applied on every node. */
    public long confirmed() {
        return propagation.count();
    }

    /** All errors. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The report for a terminal, a few lines. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "purge api   %s, %d nodes %s%nworkload    purge-storm (%s), open loop at %.0f/s, %d connections%n",
                api,
                nodes.size(),
                nodes,
                mix,
                rate,
                connections));
        s.append(String.format(
                Locale.ROOT,
                "purges      %d sent, %d accepted (%.0f/s), %d applied on every node (%.0f/s) in %.2f s%n",
                sent,
                accepted,
                acceptRate,
                confirmed(),
                applyRate,
                elapsedSeconds));
        if (unsent > 0 || unconfirmed > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "not done    %d unsent (in-flight cap), %d accepted but not seen applied everywhere%n",
                    unsent,
                    unconfirmed));
        }
        s.append("errors      ").append(errorCount()).append(errors.isEmpty() ? "" : " " + new TreeMap<>(errors));
        s.append('\n');
        s.append(LoadReport.latencyLine("propagation ", propagation));
        s.append(LoadReport.latencyLine("accept      ", accept));
        s.append(LoadReport.latencyLine("from send   ", fromSend));
        s.append(LoadReport.latencyLine("end-to-end  ", endToEnd));
        s.append(String.format(
                Locale.ROOT,
                "watched     %d node-list answers (%.1f purges each), %d applied before their 202 arrived%n",
                observations,
                observations == 0 ? 0.0 : (double) confirmed() / observations,
                appliedBeforeAccepted));
        if (hits != null) {
            s.append(String.format(
                    Locale.ROOT,
                    "hits        %d requests during the storm (%.0f/s), %d errors, hit ratio %s%n",
                    hits.completed(),
                    hits.throughput(),
                    hits.errorCount(),
                    hits.hitRatio() == null ? "-" : String.format(Locale.ROOT, "%.2f %%", hits.hitRatio() * 100)));
            s.append(LoadReport.latencyLine("hit latency ", hits.latency()));
        }
        return s.toString();
    }
}
