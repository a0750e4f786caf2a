package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Client-sticky hashing ({@value Balancers#IP_HASH}): hosts are ranked by {@link Rendezvous}
 * hashing of the client's IP address, so a client keeps its host while the pool stays the same,
 * and when a host leaves or is marked down only its clients move, each to its next host in hash
 * order. Unlike nginx's {@code ip_hash}, which hashes the first three octets of an IPv4 address on
 * a ring, the whole address is hashed, IPv6 included. A request without a client (a background
 * revalidation) is ranked by its cache key instead. Immutable and thread-safe.
 */
final class IpHashBalancer implements Balancer {
    private final List<Upstream> upstreams;
    private final Rendezvous rendezvous;

    IpHashBalancer(List<Upstream> upstreams) {
        this.upstreams = Balancers.checked(upstreams);
        this.rendezvous = new Rendezvous(this.upstreams);
    }

    @Override
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        return Split.availableFirst(upstreams, rendezvous.rank(client == null ? key.toBytes() : client.getAddress()));
    }

    @Override
    public List<Upstream> upstreams() {
        return upstreams;
    }

    @Override
    public String toString() {
        return Balancers.IP_HASH + upstreams;
    }
}
