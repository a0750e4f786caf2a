package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Weighted least connections ({@value Balancers#LEAST_CONNECTIONS}), as nginx's {@code
 * least_conn}: available hosts are ordered by requests in flight divided by {@linkplain
 * Upstream#effectiveWeight() effective weight}, fewest first.
 * Hosts tied for fewest are chosen among by smooth weighted round robin ({@link SmoothWeights}),
 * so an idle pool still shares requests by weight instead of sending all to the first host. The
 * rest follow by load, ties in configured order.
 *
 * <p>In-flight counts come from {@link Upstream#begin()}; they are read once per request, so
 * concurrent requests may see the same counts and pick the same host. Thread-safe.
 */
final class LeastConnectionsBalancer implements Balancer {
    private final List<Upstream> upstreams;
    private final SmoothWeights ties;

    LeastConnectionsBalancer(List<Upstream> upstreams) {
        this.upstreams = Balancers.checked(upstreams);
        this.ties = new SmoothWeights(this.upstreams);
    }

    @Override
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        Split split = Split.of(upstreams);
        int[] load = new int[upstreams.size()];
        double[] weight = new double[upstreams.size()];
        Integer[] byLoad = new Integer[split.up.length];
        for (int u = 0; u < byLoad.length; u++) {
            int i = split.up[u];
            load[i] = upstreams.get(i).inFlight();
            weight[i] = upstreams.get(i).effectiveWeight();
            byLoad[u] = i;
        }
        // load[a] / weight[a] against load[b] / weight[b], exactly; stable, on a snapshot.
        Arrays.sort(byLoad, (a, b) -> Double.compare(load[a] * weight[b], load[b] * weight[a]));
        int[] ordered = new int[byLoad.length];
        int tied = 0;
        for (int u = 0; u < byLoad.length; u++) {
            ordered[u] = byLoad[u];
            if (load[ordered[u]] * weight[ordered[0]] == load[ordered[0]] * weight[ordered[u]]) {
                tied = u + 1;
            }
        }
        if (tied > 1) {
            int picked = ties.pick(ordered, tied);
            int at = indexOf(ordered, picked);
            System.arraycopy(ordered, 0, ordered, 1, at); // the picked host first, the others after
            ordered[0] = picked;
        }
        return split.then(upstreams, ordered);
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("value: " + value + " (expected: one of " + Arrays.toString(values) + ")");
    }

    @Override
    public List<Upstream> upstreams() {
        return upstreams;
    }

    @Override
    public String toString() {
        return Balancers.LEAST_CONNECTIONS + upstreams;
    }
}
