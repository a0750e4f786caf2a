package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Round robin ({@value Balancers#ROUND_ROBIN}): each request starts at the next available host
 * and fails over through the rest in configured order. Weights are ignored; {@link
 * WeightedRoundRobinBalancer} honors them. Thread-safe and lock-free.
 */
final class RoundRobinBalancer implements Balancer {
    private final List<Upstream> upstreams;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinBalancer(List<Upstream> upstreams) {
        this.upstreams = Balancers.checked(upstreams);
    }

    @Override
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        Split split = Split.of(upstreams);
        int[] up = split.up;
        int start = Math.floorMod(next.getAndIncrement(), up.length);
        int[] rotated = new int[up.length];
        for (int i = 0; i < up.length; i++) {
            rotated[i] = up[(start + i) % up.length];
        }
        return split.then(upstreams, rotated);
    }

    @Override
    public List<Upstream> upstreams() {
        return upstreams;
    }

    @Override
    public String toString() {
        return Balancers.ROUND_ROBIN + upstreams;
    }
}
