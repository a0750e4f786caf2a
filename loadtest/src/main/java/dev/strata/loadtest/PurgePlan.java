package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * How a {@link PurgeStorm} sends its purges, and its bounds: purges are due at {@code rate} per
 * second from the start, at most {@code connections} unanswered at once, until {@code duration}
 * or {@code purges} purges, whichever comes first; then the storm waits at most {@code drain} for
 * the last answers and for every accepted purge to be applied everywhere.
 *
 * @param api the purge API's URL, for the report
 * @param rate purges per second
 * @param connections the most purges sent and not yet answered
 * @param duration the longest the storm sends
 * @param purges the most purges the storm sends
 * @param drain the longest the storm waits after it stopped sending
 * @param nodes how many nodes must follow the log before the storm starts; 0 for whichever the
 *     API lists as reachable then. Every reachable node listed at the start must apply each purge.
 * @param host the host the purged URLs and prefixes name
 */
public record PurgePlan(
        URI api, double rate, int connections, Duration duration, long purges, Duration drain, int nodes, String host) {
    public PurgePlan {
        requireNonNull(api, "api");
        requireNonNull(duration, "duration");
        requireNonNull(drain, "drain");
        requireNonNull(host, "host");
        if (!(rate > 0 && rate <= 1_000_000)) {
            throw new IllegalArgumentException("rate: " + rate + " (expected: 0 < rate <= 1000000 per second)");
        }
        if (connections < 1 || connections > 100_000) {
            throw new IllegalArgumentException("connections: " + connections + " (expected: 1 to 100000)");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: > 0)");
        }
        if (purges < 1) {
            throw new IllegalArgumentException("purges: " + purges + " (expected: >= 1)");
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException("drain: " + drain + " (expected: >= 0)");
        }
        if (nodes < 0 || nodes > 10_000) {
            throw new IllegalArgumentException("nodes: " + nodes + " (expected: 0 to 10000)");
        }
        if (!host.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new IllegalArgumentException(
                    "host: \"" + host + "\" (expected: a lower-case host name or IPv4 address)");
        }
    }
}
