package dev.strata.proxy;

import dev.strata.cache.store.TieredCache;
import dev.strata.cache.store.UnavailableTier;
import dev.strata.purge.PurgeFollower;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether a node should receive traffic, for load balancers and Kubernetes readiness probes: it is
 * not draining, its cache is open, it has caught up with the purge log (when it follows one), and
 * each of its upstream pools has at least one host a request could go to. A disk tier that could not
 * be opened does not make a node unready — it serves from memory and upstream — but is reported.
 * Cheap, lock-free reads only: answered on the admin listener's I/O thread.
 */
final class Readiness {
    /** The answer and a line per check, e.g. {@code ready\ncache: open\n…}. */
    record Verdict(boolean ready, String text) {}

    private final BooleanSupplier draining;
    private final TieredCache cache;
    private final @Nullable PurgeFollower follower;
    private final Supplier<List<UpstreamPool>> pools;

    /** @param pools the node's pools now (a reload may change them) */
    Readiness(
            BooleanSupplier draining,
            TieredCache cache,
            @Nullable PurgeFollower follower,
            Supplier<List<UpstreamPool>> pools) {
        this.draining = draining;
        this.cache = cache;
        this.follower = follower;
        this.pools = pools;
    }

    Verdict check() {
        List<String> lines = new ArrayList<>();
        boolean ready = true;
        if (draining.getAsBoolean()) {
            ready = false;
            lines.add("node: draining");
        }
        if (!cache.isOpen()) {
            ready = false;
            lines.add("cache: closed");
        } else if (cache.disk() instanceof UnavailableTier) {
            lines.add("cache: open (memory only: the disk tier could not be opened)");
        } else {
            lines.add("cache: open");
        }
        if (follower != null) {
            if (follower.caughtUp()) {
                lines.add("purge log: caught up (applied " + follower.appliedSeq() + ")");
            } else {
                ready = false;
                lines.add("purge log: behind (applied " + follower.appliedSeq() + " of " + follower.lastSeenSeq()
                        + (follower.answered() ? ")" : ", the purge API has not answered)"));
            }
        }
        for (UpstreamPool pool : pools.get()) {
            long available =
                    pool.upstreams().stream().filter(Upstream::isAvailable).count();
            if (available == 0) {
                ready = false;
            }
            lines.add("upstream " + pool.name() + ": " + available + " of "
                    + pool.upstreams().size() + " available");
        }
        lines.add(0, ready ? "ready" : "not ready");
        return new Verdict(ready, String.join("\n", lines) + "\n");
    }
}
