package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.URI;
import java.util.List;

/** The order in which a request tries a set of upstream hosts: the first, then failover. */
public interface Balancer {
    /** Every host, most preferred first, for a request for {@code key}. */
    List<URI> order(CacheKey key);
}
