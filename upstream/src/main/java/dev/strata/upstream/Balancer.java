package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The order in which a request tries a set of upstream hosts: the first, then failover. Every
 * implementation puts the available hosts first, in its own order, and then the hosts {@linkplain
 * Upstream#markDown() marked down}, so a request still has somewhere to go when all are down; when
 * none is available it orders them all as if they were. Implementations are thread-safe; create
 * them with {@link Balancers#of}.
 */
public interface Balancer {
    /**
     * Every host of {@link #upstreams()} once, most preferred first, for one request.
     *
     * @param key the request's cache key, which {@code consistent-hash} hashes
     * @param client the client's address, which {@code ip-hash} hashes, or null when there is none
     *     (a background revalidation): {@code ip-hash} then hashes the key
     */
    List<Upstream> order(CacheKey key, @Nullable InetAddress client);

    /** The hosts this balancer orders, as configured. */
    List<Upstream> upstreams();
}
