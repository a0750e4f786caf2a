package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One site: the host names it answers for, the pool of origins behind it and its cache policy.
 *
 * @param name a short identifier used in logs, metrics and purges
 * @param hosts host names, exact ({@code www.example.com}), wildcard ({@code *.example.com}) or
 *     {@code *} for any
 * @param origins the site's origin servers, each a URL with an optional weight
 * @param balancer how a request picks among the origins: one of {@link #BALANCERS}
 * @param healthCheck active health checks of the origins
 * @param outlierDetection passive ejection of failing origins
 * @param slowStart how long an origin that comes back takes to get its full share of requests; 0
 *     for at once
 * @param cache how responses of this site are keyed and cached
 * @param originHost the {@code Host} sent to the origins; empty for the request's host (as in the
 *     cache key)
 * @param fallbackToOrigins on an edge with shields: when no shield is available, fetch from the
 *     origins directly instead of answering 502/504 (off: the shields exist to protect them)
 */
public record SiteConfig(
        String name,
        List<String> hosts,
        List<OriginServer> origins,
        String balancer,
        HealthCheckConfig healthCheck,
        OutlierDetectionConfig outlierDetection,
        Duration slowStart,
        CachePolicyConfig cache,
        String originHost,
        boolean fallbackToOrigins) {
    /** The balancer names, as {@code dev.strata.upstream.Balancers} knows them. */
    public static final List<String> BALANCERS = List.of(
            "round-robin", "weighted-round-robin", "least-connections", "least-time", "ip-hash", "consistent-hash");

    /** The balancer of a site's origins when none is configured. */
    public static final String DEFAULT_BALANCER = "round-robin";

    /** How long an origin that comes back ramps up when nothing else is configured. */
    public static final Duration DEFAULT_SLOW_START = Duration.ofSeconds(30);

    public SiteConfig {
        requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        origins = List.copyOf(origins);
        requireNonNull(balancer, "balancer");
        requireNonNull(healthCheck, "healthCheck");
        requireNonNull(outlierDetection, "outlierDetection");
        requireNonNull(slowStart, "slowStart");
        requireNonNull(cache, "cache");
        requireNonNull(originHost, "originHost");
        if (originHost.isBlank() != originHost.isEmpty() || originHost.contains("/")) {
            throw new IllegalArgumentException("originHost: \"" + originHost + "\" (expected: a host name, or empty)");
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one host name or *)");
        }
        checkBalancer("balancer", balancer);
        if (slowStart.isNegative()) {
            throw new IllegalArgumentException("slowStart: " + slowStart + " (expected: >= 0)");
        }
    }

    /**
     * A site with its pool at the defaults: weight-1 origins in round robin, no active checks, the
     * default outlier detection and slow start.
     */
    public SiteConfig(String name, List<String> hosts, List<URI> origins, CachePolicyConfig cache) {
        this(
                name,
                hosts,
                origins.stream().map(OriginServer::of).toList(),
                DEFAULT_BALANCER,
                HealthCheckConfig.defaults(),
                OutlierDetectionConfig.defaults(),
                DEFAULT_SLOW_START,
                cache,
                "",
                false);
    }

    /** A site for any host in front of the given origins, with the default pool and cache policy. */
    public static SiteConfig anyHost(List<URI> origins) {
        return new SiteConfig("default", List.of("*"), origins, CachePolicyConfig.defaults());
    }

    /** This site under another name. */
    public SiteConfig withName(String newName) {
        return new SiteConfig(
                newName,
                hosts,
                origins,
                balancer,
                healthCheck,
                outlierDetection,
                slowStart,
                cache,
                originHost,
                fallbackToOrigins);
    }

    /** Whether this site answers for {@code host} (case-insensitive, port excluded). */
    public boolean matches(String host) {
        return matchesHost(hosts, host);
    }

    /**
     * Whether one of {@code hosts} (exact, {@code *.domain} or {@code *}) matches {@code host}, a
     * request's host name without its port. One trailing dot is ignored: {@code img.example.} is the
     * absolute form of {@code img.example} (the cache key drops it too), and a limit or a route that
     * missed it could be evaded by adding one.
     */
    static boolean matchesHost(List<String> hosts, String requestHost) {
        String host = requestHost.length() > 1 && requestHost.endsWith(".")
                ? requestHost.substring(0, requestHost.length() - 1)
                : requestHost;
        for (String pattern : hosts) {
            if (pattern.equals("*")
                    || pattern.equalsIgnoreCase(host)
                    || (pattern.startsWith("*.")
                            && host.length() > pattern.length() - 1
                            && host.regionMatches(
                                    true, host.length() - (pattern.length() - 1), pattern, 1, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    static void checkBalancer(String component, String balancer) {
        if (!BALANCERS.contains(balancer)) {
            throw new IllegalArgumentException(
                    component + ": " + balancer + " (expected: one of " + String.join(", ", BALANCERS) + ")");
        }
    }
}
