package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.key.KeyPolicy;
import dev.strata.config.CachePolicyConfig;
import dev.strata.upstream.Balancer;

/**
 * Where requests for a host go and how they are cached.
 *
 * @param site the site's name, for logs
 * @param policy the site's cache policy
 * @param keyPolicy the site's cache-key policy
 * @param upstream the next hop and the order its hosts are tried in
 */
public record Route(String site, CachePolicyConfig policy, KeyPolicy keyPolicy, Balancer upstream) {
    public Route {
        requireNonNull(site, "site");
        requireNonNull(policy, "policy");
        requireNonNull(keyPolicy, "keyPolicy");
        requireNonNull(upstream, "upstream");
    }
}
