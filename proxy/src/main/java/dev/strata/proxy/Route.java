package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.config.CachePolicyConfig;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where requests for a host go and how they are cached.
 *
 * @param site the site's name, for logs
 * @param policy the site's cache policy
 * @param keyPolicy the site's cache-key policy
 * @param upstream the next hop: its hosts, their health and the order they are tried in
 */
public record Route(String site, CachePolicyConfig policy, KeyPolicy keyPolicy, UpstreamPool upstream) {
    public Route {
        requireNonNull(site, "site");
        requireNonNull(policy, "policy");
        requireNonNull(keyPolicy, "keyPolicy");
        requireNonNull(upstream, "upstream");
    }

    /**
     * {@link #upstream}'s hosts in the order one request tries them.
     *
     * @param client the client's address, or null for a request of our own (a revalidation)
     */
    List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        return upstream.order(key, client);
    }
}
