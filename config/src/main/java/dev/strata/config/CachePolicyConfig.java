package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How a site's responses are keyed and cached.
 *
 * @param sortQuery sort query parameters in the cache key, so {@code ?b=1&a=2} and {@code
 *     ?a=2&b=1} share an entry
 * @param ignoreQuery leave the query out of the cache key entirely
 * @param dropQueryParams query parameters left out of the cache key; a trailing {@code *} matches
 *     a prefix ({@code utm_*})
 * @param storeSetCookie store responses that carry {@code Set-Cookie} (the cookie is never stored)
 * @param ignoreClientNoCache treat a client's {@code no-cache} or {@code max-age=0} as absent
 *     (origin protection)
 * @param heuristicFraction heuristic freshness as a fraction of the time since {@code
 *     Last-Modified} (RFC 9111 §4.2.2)
 * @param heuristicMax the longest heuristic freshness
 * @param maxStale the longest a response may be served stale past its freshness
 */
public record CachePolicyConfig(
        boolean sortQuery,
        boolean ignoreQuery,
        List<String> dropQueryParams,
        boolean storeSetCookie,
        boolean ignoreClientNoCache,
        double heuristicFraction,
        Duration heuristicMax,
        Duration maxStale) {
    public CachePolicyConfig {
        dropQueryParams = List.copyOf(dropQueryParams);
        requireNonNull(heuristicMax, "heuristicMax");
        requireNonNull(maxStale, "maxStale");
        if (!(heuristicFraction >= 0 && heuristicFraction <= 1)) {
            throw new IllegalArgumentException("heuristicFraction: " + heuristicFraction + " (expected: 0 to 1)");
        }
        if (heuristicMax.isNegative()) {
            throw new IllegalArgumentException("heuristicMax: " + heuristicMax + " (expected: >= 0)");
        }
        if (maxStale.isNegative()) {
            throw new IllegalArgumentException("maxStale: " + maxStale + " (expected: >= 0)");
        }
    }

    /** The policy of a site that sets none: sorted query, RFC 9111 heuristics, a day of staleness. */
    public static CachePolicyConfig defaults() {
        return new CachePolicyConfig(true, false, List.of(), false, false, 0.1, Duration.ofDays(1), Duration.ofDays(1));
    }
}
