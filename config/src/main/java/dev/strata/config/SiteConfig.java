package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;

/**
 * One site: the host names it answers for, the origins behind it and its cache policy.
 *
 * @param name a short identifier used in logs, metrics and purges
 * @param hosts host names, exact ({@code www.example.com}), wildcard ({@code *.example.com}) or
 *     {@code *} for any
 * @param origins the site's origin servers, as {@code http://host:port} URLs
 * @param cache how responses of this site are keyed and cached
 */
public record SiteConfig(String name, List<String> hosts, List<URI> origins, CachePolicyConfig cache) {
    public SiteConfig {
        requireNonNull(name, "name");
        hosts = List.copyOf(hosts);
        origins = List.copyOf(origins);
        requireNonNull(cache, "cache");
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one host name or *)");
        }
    }

    /** A site for any host in front of the given origins, with the default cache policy. */
    public static SiteConfig anyHost(List<URI> origins) {
        return new SiteConfig("default", List.of("*"), origins, CachePolicyConfig.defaults());
    }

    /** Whether this site answers for {@code host} (case-insensitive, port excluded). */
    public boolean matches(String host) {
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
}
