package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Round robin ({@value Balancers#ROUND_ROBIN}): each request starts at the next available host
 * and fails over through the rest in configured order. Weights are ignored; {@link
 * WeightedRoundRobinBalancer} honors them. A host in slow start that would come first is passed
 * over, to the back of the available hosts, with probability one minus its {@linkplain
 * Upstream#effectiveWeight() slow-start share}, so its share ramps up with it. Thread-safe and
 * lock-free.
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
        double share = upstreams.get(rotated[0]).slowStartFactor();
        if (share < 1 && up.length > 1 && ThreadLocalRandom.current().nextDouble() >= share) {
            int warming = rotated[0];
            System.arraycopy(rotated, 1, rotated, 0, rotated.length - 1);
            rotated[rotated.length - 1] = warming;
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
