package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.key.KeyPolicy;
import dev.strata.config.CachePolicyConfig;
import dev.strata.config.ConfigException;
import dev.strata.config.EdgeConfig;
import dev.strata.config.HealthCheckConfig;
import dev.strata.config.OriginServer;
import dev.strata.config.OutlierDetectionConfig;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps a request's host to its {@link Route}: the first configured site whose hosts match. An edge
 * with shields sends every site to one pool of shields, by default chosen by consistent hash of the
 * cache key with bounded loads and checked at their health endpoint (a host that matches no site
 * still goes to the shields, with the default cache policy), so all sites see each other's load.
 * An edge without shields and a shield send each site to its own pool of origins, balanced, checked
 * and ejected as the site configures. Immutable and thread-safe; the pools' health changes.
 */
public final class Router {
    private final List<SiteConfig> sites;
    private final List<Route> routes;
    private final @Nullable Route fallback;
    private final List<UpstreamPool> pools;
    /** What each pool was built from, so that {@link #keeping} can tell which pools a reload left alone. */
    private final Map<UpstreamPool, PoolSpec> specs;
    /** The last {@link #select}ion, on any thread: immutable, so a stale one is still right. */
    private volatile @Nullable Selected lastSelected;

    /** The settings a pool is built from; equal settings, equal pool. */
    private record PoolSpec(
            String name,
            String balancer,
            List<OriginServer> hosts,
            HealthCheckConfig healthCheck,
            OutlierDetectionConfig outlierDetection,
            Duration slowStart) {
        UpstreamPool build(Clock clock) {
            List<Upstream> upstreams = new ArrayList<>();
            for (OriginServer host : hosts) {
                upstreams.add(Upstream.of(host.url(), host.weight()));
            }
            return UpstreamPool.of(name, balancer, upstreams, healthCheck, outlierDetection, slowStart, clock);
        }
    }

    private Router(
            List<SiteConfig> sites,
            List<Route> routes,
            @Nullable Route fallback,
            List<UpstreamPool> pools,
            Map<UpstreamPool, PoolSpec> specs) {
        this.sites = sites;
        this.routes = routes;
        this.fallback = fallback;
        this.pools = List.copyOf(pools);
        this.specs = specs;
    }

    /** {@link #forEdge(StrataConfig, Clock)} with the system clock. */
    public static Router forEdge(StrataConfig config) {
        return forEdge(config, Clock.systemUTC());
    }

    /**
     * The edge's routes: to the shields when {@code edge.shields} is set, else to each site's
     * origins.
     *
     * @param clock the clock of the pools' health states
     * @throws ConfigException when there are neither shields nor sites
     */
    public static Router forEdge(StrataConfig config, Clock clock) {
        EdgeConfig edge = config.edge();
        List<URI> shields = edge.shields();
        if (shields.isEmpty()) {
            return toOrigins(config.sites(), "edge", clock);
        }
        Map<UpstreamPool, PoolSpec> specs = new IdentityHashMap<>();
        UpstreamPool toShields = pool(
                new PoolSpec(
                        "shields",
                        edge.shieldBalancer(),
                        shields.stream().map(OriginServer::of).toList(),
                        edge.shieldHealthCheck(),
                        edge.shieldOutlierDetection(),
                        edge.shieldSlowStart()),
                clock,
                specs);
        List<Route> routes = new ArrayList<>();
        List<UpstreamPool> pools = new ArrayList<>(List.of(toShields));
        for (SiteConfig site : config.sites()) {
            UpstreamPool fallback = null;
            if (site.fallbackToOrigins() && !site.origins().isEmpty()) {
                fallback = originPool(site, clock, specs);
                pools.add(fallback);
            }
            routes.add(new Route(
                    site.name(),
                    site.cache(),
                    KeyPolicy.from(site.cache()),
                    toShields,
                    false,
                    fallback,
                    site.originHost()));
        }
        CachePolicyConfig defaults = CachePolicyConfig.defaults();
        Route fallbackRoute = new Route("default", defaults, KeyPolicy.from(defaults), toShields, false, null, "");
        return new Router(config.sites(), routes, fallbackRoute, pools, specs);
    }

    /** {@link #forShield(StrataConfig, Clock)} with the system clock. */
    public static Router forShield(StrataConfig config) {
        return forShield(config, Clock.systemUTC());
    }

    /**
     * The shield's routes: each site to its origins.
     *
     * @param clock the clock of the pools' health states
     * @throws ConfigException when no site is configured
     */
    public static Router forShield(StrataConfig config, Clock clock) {
        return toOrigins(config.sites(), "shield", clock);
    }

    private static Router toOrigins(List<SiteConfig> sites, String role, Clock clock) {
        if (sites.isEmpty()) {
            throw new ConfigException(role
                    + ": nothing to fetch from (expected: --origin URL"
                    + (role.equals("edge") ? ", --shield URL" : "")
                    + " or a site with origins in the config file)");
        }
        List<Route> routes = new ArrayList<>();
        List<UpstreamPool> pools = new ArrayList<>();
        Map<UpstreamPool, PoolSpec> specs = new IdentityHashMap<>();
        for (SiteConfig site : sites) {
            UpstreamPool pool = originPool(site, clock, specs);
            pools.add(pool);
            routes.add(new Route(
                    site.name(), site.cache(), KeyPolicy.from(site.cache()), pool, true, null, site.originHost()));
        }
        return new Router(sites, routes, null, pools, specs);
    }

    private static UpstreamPool originPool(SiteConfig site, Clock clock, Map<UpstreamPool, PoolSpec> specs) {
        return pool(
                new PoolSpec(
                        "site " + site.name(),
                        site.balancer(),
                        site.origins(),
                        site.healthCheck(),
                        site.outlierDetection(),
                        site.slowStart()),
                clock,
                specs);
    }

    private static UpstreamPool pool(PoolSpec spec, Clock clock, Map<UpstreamPool, PoolSpec> specs) {
        UpstreamPool pool = spec.build(clock);
        specs.put(pool, spec);
        return pool;
    }

    /**
     * This router with every pool that {@code previous} built from the same settings (name,
     * balancer, hosts and weights, health checks, outlier detection, slow start) replaced by that
     * pool of {@code previous}: a reload keeps the health, ejections and balancer state of each pool
     * it did not change, and starts the others afresh.
     */
    public Router keeping(Router previous) {
        Map<PoolSpec, UpstreamPool> running = new HashMap<>();
        previous.specs.forEach((pool, spec) -> running.put(spec, pool));
        Map<UpstreamPool, UpstreamPool> kept = new IdentityHashMap<>();
        Map<UpstreamPool, PoolSpec> keptSpecs = new IdentityHashMap<>();
        List<UpstreamPool> keptPools = new ArrayList<>();
        for (UpstreamPool pool : pools) {
            PoolSpec spec = requireNonNull(specs.get(pool), "spec");
            UpstreamPool same = running.getOrDefault(spec, pool);
            kept.put(pool, same);
            keptSpecs.put(same, spec);
            keptPools.add(same);
        }
        List<Route> keptRoutes = new ArrayList<>();
        for (Route route : routes) {
            keptRoutes.add(route.withPools(kept));
        }
        return new Router(sites, keptRoutes, fallback == null ? null : fallback.withPools(kept), keptPools, keptSpecs);
    }

    /**
     * Every pool of this router once: what a node health-checks, and what metrics read (each host's
     * {@link dev.strata.upstream.HealthState}, ejections and failed checks).
     */
    public List<UpstreamPool> pools() {
        return pools;
    }

    /**
     * The name of every route's site, the fallback's ({@code default}) included, once each: the
     * {@code site} values of the node's request metrics.
     */
    public List<String> siteNames() {
        List<String> names = new ArrayList<>();
        for (Route route : routes) {
            if (!names.contains(route.site())) {
                names.add(route.site());
            }
        }
        if (fallback != null && !names.contains(fallback.site())) {
            names.add(fallback.site());
        }
        return List.copyOf(names);
    }

    /** The route for a {@code Host} value (a port is ignored), or null when no site matches. */
    public @Nullable Route select(String hostHeader) {
        // An edge sees few Host values, mostly the same one many times over: the last one's route
        // saves lower-casing, cutting and matching it (and the strings that makes) per request.
        Selected last = lastSelected;
        if (last != null && last.hostHeader().equals(hostHeader)) {
            return last.route();
        }
        String host = stripPort(hostHeader).toLowerCase(Locale.ROOT);
        Route selected = fallback;
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).matches(host)) {
                selected = routes.get(i);
                break;
            }
        }
        lastSelected = new Selected(hostHeader, selected);
        return selected;
    }

    /** The route the last {@link #select} chose, for its {@code Host} value as given. */
    private record Selected(String hostHeader, @Nullable Route route) {}

    private static String stripPort(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int close = hostHeader.indexOf(']');
            return close > 0 ? hostHeader.substring(1, close) : hostHeader;
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }
}
