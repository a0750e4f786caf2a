package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round robin: each request starts at the next host and fails over through the rest in order.
 * Thread-safe.
 */
public final class RoundRobinBalancer implements Balancer {
    private final List<URI> hosts;
    private final AtomicInteger next = new AtomicInteger();

    public RoundRobinBalancer(List<URI> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one)");
        }
        this.hosts = List.copyOf(hosts);
    }

    @Override
    public List<URI> order(CacheKey key) {
        if (hosts.size() == 1) {
            return hosts;
        }
        int start = Math.floorMod(next.getAndIncrement(), hosts.size());
        List<URI> ordered = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            ordered.add(hosts.get((start + i) % hosts.size()));
        }
        return ordered;
    }

    @Override
    public String toString() {
        return "round-robin" + hosts;
    }
}
