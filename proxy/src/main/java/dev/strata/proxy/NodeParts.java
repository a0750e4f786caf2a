package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.store.TieredCache;
import dev.strata.purge.PurgeFollower;
import dev.strata.upstream.UpstreamPool;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The live parts of a running node that its metrics and status page read.
 *
 * @param cache the two tiers
 * @param collapser the node's request collapsing
 * @param pools every upstream pool the node routes to now (a reload may change them)
 * @param follower the purge-log follower, or null for a node that follows no purge API
 * @param readiness whether the node should receive traffic
 * @param filters the WAF and rate limits now (a reload may change them; {@link RequestFilters#OFF} on
 *     a shield)
 */
record NodeParts(
        TieredCache cache,
        RequestCollapser collapser,
        Supplier<List<UpstreamPool>> pools,
        @Nullable PurgeFollower follower,
        Readiness readiness,
        Supplier<RequestFilters> filters) {
    NodeParts {
        requireNonNull(cache, "cache");
        requireNonNull(collapser, "collapser");
        requireNonNull(readiness, "readiness");
        requireNonNull(pools, "pools");
        requireNonNull(filters, "filters");
    }
}
