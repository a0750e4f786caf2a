package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Consistent hashing by cache key with rendezvous (highest random weight) hashing: each host scores
 * {@code hash(host, key)} and hosts are tried by descending score. Every node computes the same
 * order for a key, so one shield owns each object for all PoPs; when a host leaves, only the keys
 * it owned move (about 1/N), each to its next host in hash order.
 *
 * <p>Reference: Thaler and Ravishankar, "Using Name-Based Mappings to Increase Hit Rates" (1998).
 * The hash is 64-bit FNV-1a of the host and the key, finished with a SplitMix64 mixer so similar
 * inputs spread well. Thread-safe and immutable.
 */
public final class RendezvousBalancer implements Balancer {
    private final List<URI> hosts;
    private final long[] hostSeeds;

    public RendezvousBalancer(List<URI> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one)");
        }
        this.hosts = List.copyOf(hosts);
        this.hostSeeds = new long[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            hostSeeds[i] = fnv(FNV_OFFSET, hosts.get(i).toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    @Override
    public List<URI> order(CacheKey key) {
        byte[] keyBytes = key.toBytes();
        Integer[] indexes = new Integer[hosts.size()];
        long[] scores = new long[hosts.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = i;
            scores[i] = mix(fnv(hostSeeds[i], keyBytes));
        }
        Arrays.sort(indexes, Comparator.comparingLong((Integer i) -> scores[i]).reversed());
        URI[] ordered = new URI[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            ordered[i] = hosts.get(indexes[i]);
        }
        return List.of(ordered);
    }

    private static long fnv(long seed, byte[] bytes) {
        long hash = seed;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "rendezvous" + hosts;
    }
}
