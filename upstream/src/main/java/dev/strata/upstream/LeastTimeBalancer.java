package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Least response time ({@value Balancers#LEAST_TIME}): power of two choices over peak-EWMA cost,
 * as Finagle's and linkerd's {@code p2c} + {@code PeakEwma}. Each request draws two distinct
 * available hosts at random and goes to the cheaper one, where a host's cost is its latency
 * estimate times its requests in flight plus one, divided by its weight ({@link Upstream}). The
 * others follow, cheapest first.
 *
 * <p>Why two random choices rather than the cheapest: estimates lag (they change only when a
 * request ends), and every request sent to the cheapest host in the meantime would pile onto it;
 * two random choices avoid the worst hosts nearly as well and keep the herd apart (Mitzenmacher,
 * "The Power of Two Choices in Randomized Load Balancing", 2001). A slow host gets less traffic
 * at once; since its estimate decays while it is avoided, it is tried again and earns its
 * traffic back when it has recovered. Thread-safe.
 */
final class LeastTimeBalancer implements Balancer {
    private final List<Upstream> upstreams;
    private final Supplier<RandomGenerator> random;

    /** @param random the source of random draws for the calling thread, such as {@code ThreadLocalRandom::current} */
    LeastTimeBalancer(List<Upstream> upstreams, Supplier<RandomGenerator> random) {
        this.upstreams = Balancers.checked(upstreams);
        this.random = random;
    }

    @Override
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        Split split = Split.of(upstreams);
        int[] up = split.up;
        if (up.length == 1) {
            return split.then(upstreams, up);
        }
        double[] cost = new double[upstreams.size()];
        for (int i : up) {
            cost[i] = upstreams.get(i).cost();
        }
        RandomGenerator draw = random.get();
        int first = draw.nextInt(up.length);
        int second = draw.nextInt(up.length - 1);
        if (second >= first) {
            second++; // two distinct hosts, each pair equally likely
        }
        int picked = cost[up[second]] < cost[up[first]] ? up[second] : up[first];
        Integer[] rest = new Integer[up.length - 1];
        for (int u = 0, r = 0; u < up.length; u++) {
            if (up[u] != picked) {
                rest[r++] = up[u];
            }
        }
        Arrays.sort(rest, (a, b) -> Double.compare(cost[a], cost[b]));
        int[] ordered = new int[up.length];
        ordered[0] = picked;
        for (int r = 0; r < rest.length; r++) {
            ordered[r + 1] = rest[r];
        }
        return split.then(upstreams, ordered);
    }

    @Override
    public List<Upstream> upstreams() {
        return upstreams;
    }

    @Override
    public String toString() {
        return Balancers.LEAST_TIME + upstreams;
    }
}
