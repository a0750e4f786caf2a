package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.purge.PurgeEntry;
import dev.strata.purge.PurgeRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The purge-log entries this node applied last, for its status page, and the time each took to
 * apply: {@code strata.purge.apply{kind}} ({@code urls}, {@code prefixes}, {@code tags}, {@code
 * all}). Written on the purge follower's thread, read by the admin listener's workers; thread-safe.
 */
final class RecentPurges {
    /** How many applied entries the status page lists. */
    static final int KEPT = 20;

    /** How many of an entry's targets are kept for the page; the rest are counted. */
    static final int TARGETS_KEPT = 3;

    /**
     * One applied entry.
     *
     * @param seq its sequence number in the log
     * @param id its identifier
     * @param kind {@code urls}, {@code prefixes}, {@code tags} or {@code all}
     * @param soft whether it marked entries stale rather than removing them
     * @param targets its first {@value #TARGETS_KEPT} targets
     * @param moreTargets how many targets it had beyond those
     * @param acceptedAt when the purge API accepted it
     * @param appliedAt when this node finished applying it
     * @param applyNanos how long applying it took on this node
     */
    record Applied(
            long seq,
            String id,
            String kind,
            boolean soft,
            List<String> targets,
            int moreTargets,
            Instant acceptedAt,
            Instant appliedAt,
            long applyNanos) {
        Applied {
            targets = List.copyOf(targets);
        }
    }

    private final Map<PurgeRequest.Kind, Timer> timers = new EnumMap<>(PurgeRequest.Kind.class);
    private final Deque<Applied> recent = new ArrayDeque<>(KEPT);

    RecentPurges(MeterRegistry registry) {
        for (PurgeRequest.Kind kind : PurgeRequest.Kind.values()) {
            timers.put(
                    kind,
                    Timer.builder("strata.purge.apply")
                            .description("Time to apply one purge-log entry on this node, by kind")
                            .tag("kind", kind.field())
                            .register(registry));
        }
    }

    /** Records that {@code entry} was applied at {@code appliedAt} in {@code nanos}. */
    void applied(PurgeEntry entry, Instant appliedAt, long nanos) {
        PurgeRequest.Kind kind = entry.request().kind();
        requireNonNull(timers.get(kind), "timer").record(nanos, TimeUnit.NANOSECONDS); // one per kind
        List<String> targets = entry.request().targets();
        Applied applied = new Applied(
                entry.seq(),
                entry.id(),
                kind.field(),
                entry.request().soft(),
                targets.subList(0, Math.min(TARGETS_KEPT, targets.size())),
                Math.max(0, targets.size() - TARGETS_KEPT),
                Instant.ofEpochMilli(entry.timeMillis()),
                appliedAt,
                nanos);
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeLast();
            }
            recent.addFirst(applied);
        }
    }

    /** The entries applied last, the newest first. */
    List<Applied> recent() {
        synchronized (recent) {
            return List.copyOf(new ArrayList<>(recent));
        }
    }
}
