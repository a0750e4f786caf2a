package dev.strata.purge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes following the log, as they report themselves: the last sequence each applied, when
 * each was last heard from, and when each first reported having applied each sequence (the last
 * {@value #HISTORY} reports), so a purge's status can say when each node applied it. In memory:
 * after a restart of the API nodes are known again at their next request. Thread-safe.
 */
final class NodeRegistry {
    static final int HISTORY = 1024;

    /** One node as last reported. */
    record NodeState(String name, long appliedSeq, Instant lastSeen, boolean reachable) {}

    private static final class Node {
        long applied;
        Instant lastSeen = Instant.EPOCH;
        final NavigableMap<Long, Instant> firstApplied = new TreeMap<>();
    }

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration timeout;

    NodeRegistry(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Records that {@code name} was heard from now, having applied every entry up to {@code applied}.
     *
     * @return whether that is progress: the node is new or its applied sequence moved
     */
    boolean report(String name, long applied) {
        Node node = nodes.computeIfAbsent(name, n -> new Node());
        Instant now = clock.instant();
        synchronized (node) {
            node.lastSeen = now;
            if (applied > node.applied || node.firstApplied.isEmpty()) {
                node.applied = Math.max(node.applied, applied);
                node.firstApplied.putIfAbsent(applied, now);
                while (node.firstApplied.size() > HISTORY) {
                    node.firstApplied.pollFirstEntry();
                }
                return true;
            }
            return false;
        }
    }

    /**
     * The lowest applied sequence over the reachable nodes: every one of them has applied every entry
     * up to it. -1 when no node is reachable.
     */
    long minReachableApplied() {
        Instant cutoff = clock.instant().minus(timeout);
        long min = Long.MAX_VALUE;
        for (Node node : nodes.values()) {
            synchronized (node) {
                if (!node.lastSeen.isBefore(cutoff)) {
                    min = Math.min(min, node.applied);
                }
            }
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /** Every node known, by name. */
    List<NodeState> nodes() {
        Instant cutoff = clock.instant().minus(timeout);
        List<NodeState> states = new ArrayList<>();
        nodes.forEach((name, node) -> {
            synchronized (node) {
                states.add(new NodeState(name, node.applied, node.lastSeen, !node.lastSeen.isBefore(cutoff)));
            }
        });
        states.sort((a, b) -> a.name().compareTo(b.name()));
        return states;
    }

    /**
     * When {@code name} first reported having applied {@code seq} or later; empty when it has not.
     * Older than the history kept: the earliest report kept.
     */
    Optional<Instant> appliedAt(String name, long seq) {
        Node node = nodes.get(name);
        if (node == null) {
            return Optional.empty();
        }
        synchronized (node) {
            if (node.applied < seq) {
                return Optional.empty();
            }
            Map.Entry<Long, Instant> first = node.firstApplied.ceilingEntry(seq);
            return Optional.of(first == null ? node.lastSeen : first.getValue());
        }
    }
}
