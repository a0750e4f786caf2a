package dev.strata.proxy;

import dev.strata.cache.key.KeyPolicy;
import dev.strata.config.CachePolicyConfig;
import dev.strata.config.ConfigException;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import dev.strata.upstream.Balancer;
import dev.strata.upstream.Balancers;
import dev.strata.upstream.Upstream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Maps a request's host to its {@link Route}: the first configured site whose hosts match. An edge
 * with shields sends every site to the shields, chosen by consistent hash of the cache key with
 * bounded loads (a host that matches no site still goes to the shields, with the default cache
 * policy); all sites share one {@link Upstream} per shield, so they see each other's load. An edge
 * without shields and a shield send each site to its origins in round robin. Immutable and
 * thread-safe.
 */
public final class Router {
    private final List<SiteConfig> sites;
    private final List<Route> routes;
    private final @Nullable Route fallback;

    private Router(List<SiteConfig> sites, List<Route> routes, @Nullable Route fallback) {
        this.sites = sites;
        this.routes = routes;
        this.fallback = fallback;
    }

    /**
     * The edge's routes: to the shields when {@code edge.shields} is set, else to each site's
     * origins.
     *
     * @throws ConfigException when there are neither shields nor sites
     */
    public static Router forEdge(StrataConfig config) {
        List<URI> shields = config.edge().shields();
        if (shields.isEmpty()) {
            return toOrigins(config.sites(), "edge");
        }
        Balancer toShields = Balancers.of(Balancers.CONSISTENT_HASH, Upstream.of(shields));
        List<Route> routes = new ArrayList<>();
        for (SiteConfig site : config.sites()) {
            routes.add(route(site.name(), site.cache(), toShields));
        }
        return new Router(config.sites(), routes, route("default", CachePolicyConfig.defaults(), toShields));
    }

    /**
     * The shield's routes: each site to its origins.
     *
     * @throws ConfigException when no site is configured
     */
    public static Router forShield(StrataConfig config) {
        return toOrigins(config.sites(), "shield");
    }

    private static Router toOrigins(List<SiteConfig> sites, String role) {
        if (sites.isEmpty()) {
            throw new ConfigException(role
                    + ": nothing to fetch from (expected: --origin URL"
                    + (role.equals("edge") ? ", --shield URL" : "")
                    + " or a site with origins in the config file)");
        }
        List<Route> routes = new ArrayList<>();
        for (SiteConfig site : sites) {
            routes.add(
                    route(site.name(), site.cache(), Balancers.of(Balancers.ROUND_ROBIN, Upstream.of(site.origins()))));
        }
        return new Router(sites, routes, null);
    }

    private static Route route(String name, CachePolicyConfig policy, Balancer upstream) {
        return new Route(name, policy, KeyPolicy.from(policy), upstream);
    }

    /** The route for a {@code Host} value (a port is ignored), or null when no site matches. */
    public @Nullable Route select(String hostHeader) {
        String host = stripPort(hostHeader).toLowerCase(Locale.ROOT);
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).matches(host)) {
                return routes.get(i);
            }
        }
        return fallback;
    }

    private static String stripPort(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close > 0 ? hostHeader.substring(1, close) : hostHeader;
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }
}
