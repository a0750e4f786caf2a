package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.config.CachePolicyConfig;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where requests for a host go and how they are cached.
 *
 * @param site the site's name, for logs
 * @param policy the site's cache policy
 * @param keyPolicy the site's cache-key policy
 * @param upstream the next hop: its hosts, their health and the order they are tried in
 * @param toOrigins whether {@link #upstream} is the site's origins (not shields)
 * @param fallback the site's origins, for an edge allowed to reach them when no shield is
 *     available; null otherwise
 * @param originHost the {@code Host} for the origins; empty for the key's host
 */
public record Route(
        String site,
        CachePolicyConfig policy,
        KeyPolicy keyPolicy,
        UpstreamPool upstream,
        boolean toOrigins,
        @Nullable UpstreamPool fallback,
        String originHost) {
    public Route {
        requireNonNull(site, "site");
        requireNonNull(policy, "policy");
        requireNonNull(keyPolicy, "keyPolicy");
        requireNonNull(upstream, "upstream");
        requireNonNull(originHost, "originHost");
    }

    /**
     * Where one request goes: the hosts it tries in order, and the {@code Host} it sends them.
     *
     * @param upstreams the hosts, most preferred first
     * @param host the {@code Host} field: the key's host towards shields (they route by it), the
     *     site's origin host, if set, towards origins
     */
    record Hop(List<Upstream> upstreams, String host) {}

    /**
     * The next hop of one request: {@link #upstream}, or — when none of its hosts is available
     * and the site allows it — the origins directly.
     *
     * @param client the client's address, or null for a request of our own (a revalidation)
     */
    Hop hop(CacheKey key, @Nullable InetAddress client) {
        if (fallback != null && upstream.upstreams().stream().noneMatch(Upstream::isAvailable)) {
            return new Hop(fallback.order(key, client), originHost(key));
        }
        return new Hop(upstream.order(key, client), toOrigins ? originHost(key) : key.host());
    }

    /** This route with its pools swapped as {@code pools} maps them (those it does not map kept). */
    Route withPools(Map<UpstreamPool, UpstreamPool> pools) {
        UpstreamPool fallbackPool = fallback;
        return new Route(
                site,
                policy,
                keyPolicy,
                pools.getOrDefault(upstream, upstream),
                toOrigins,
                fallbackPool == null ? null : pools.getOrDefault(fallbackPool, fallbackPool),
                originHost);
    }

    private String originHost(CacheKey key) {
        return originHost.isEmpty() ? key.host() : originHost;
    }
}
