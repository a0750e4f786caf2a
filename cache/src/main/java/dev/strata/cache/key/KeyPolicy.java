package dev.strata.cache.key;

import dev.strata.config.CachePolicyConfig;
import java.util.List;

/**
 * How a site shapes its cache keys.
 *
 * @param sortQuery sort query parameters, so their order does not split the cache
 * @param ignoreQuery leave the query out of the key
 * @param dropQueryParams parameter names left out of the key; a trailing {@code *} matches a prefix
 */
public record KeyPolicy(boolean sortQuery, boolean ignoreQuery, List<String> dropQueryParams) {
    public KeyPolicy {
        dropQueryParams = List.copyOf(dropQueryParams);
    }

    /** The key policy of a site's cache configuration. */
    public static KeyPolicy from(CachePolicyConfig config) {
        return new KeyPolicy(config.sortQuery(), config.ignoreQuery(), config.dropQueryParams());
    }

    /** Sorted query, nothing dropped. */
    public static KeyPolicy defaults() {
        return from(CachePolicyConfig.defaults());
    }

    boolean drops(String parameterName) {
        for (String pattern : dropQueryParams) {
            if (pattern.endsWith("*")
                    ? parameterName.startsWith(pattern.substring(0, pattern.length() - 1))
                    : parameterName.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
