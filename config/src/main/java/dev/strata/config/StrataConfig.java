package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The whole configuration of a Strata node, for every role; a node reads the sections of its role.
 * Immutable; {@link #defaults()} is enough to start any role.
 *
 * @param node who this node is
 * @param edge the edge role: client listener, cache, shields, request limits
 * @param shield the shield role: listener and cache
 * @param sites host names to origins and cache policy; the first site whose hosts match wins
 * @param waf the web application firewall
 * @param rateLimits per-client request rate limits
 * @param purgeApi the purge API role
 * @param admin the admin listener (health, metrics)
 * @param accessLog the access log of an edge or shield
 * @param serverTiming the {@code Server-Timing} response field of an edge or shield
 * @param origin the built-in static asset origin ({@code strata origin})
 */
public record StrataConfig(
        NodeConfig node,
        EdgeConfig edge,
        ShieldConfig shield,
        List<SiteConfig> sites,
        WafConfig waf,
        RateLimitConfig rateLimits,
        PurgeApiConfig purgeApi,
        AdminConfig admin,
        AccessLogConfig accessLog,
        ServerTimingConfig serverTiming,
        OriginConfig origin) {
    public StrataConfig {
        requireNonNull(node, "node");
        requireNonNull(edge, "edge");
        requireNonNull(shield, "shield");
        sites = List.copyOf(sites);
        requireNonNull(waf, "waf");
        requireNonNull(rateLimits, "rateLimits");
        requireNonNull(purgeApi, "purgeApi");
        requireNonNull(admin, "admin");
        requireNonNull(accessLog, "accessLog");
        requireNonNull(serverTiming, "serverTiming");
        requireNonNull(origin, "origin");
    }

    /** The configuration used when no file is given: every value at its documented default. */
    public static StrataConfig defaults() {
        return new StrataConfig(
                NodeConfig.defaults(),
                EdgeConfig.defaults(),
                ShieldConfig.defaults(),
                List.of(),
                WafConfig.defaults(),
                RateLimitConfig.defaults(),
                PurgeApiConfig.defaults(),
                AdminConfig.defaults(),
                AccessLogConfig.defaults(),
                ServerTimingConfig.defaults(),
                OriginConfig.defaults());
    }

    /** This configuration with {@code newEdge} in place of its edge section. */
    public StrataConfig withEdge(EdgeConfig newEdge) {
        return new StrataConfig(
                node, newEdge, shield, sites, waf, rateLimits, purgeApi, admin, accessLog, serverTiming, origin);
    }

    /** This configuration with {@code newSites} in place of its sites. */
    public StrataConfig withSites(List<SiteConfig> newSites) {
        return new StrataConfig(
                node, edge, shield, newSites, waf, rateLimits, purgeApi, admin, accessLog, serverTiming, origin);
    }
}
