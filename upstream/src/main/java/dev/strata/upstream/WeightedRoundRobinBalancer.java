package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Smooth weighted round robin ({@value Balancers#WEIGHTED_ROUND_ROBIN}), nginx's algorithm (see
 * {@link SmoothWeights}): available hosts get requests in proportion to their weights, spread out
 * rather than in bursts. A request fails over through the other available hosts in the order they
 * are due next. Thread-safe.
 */
final class WeightedRoundRobinBalancer implements Balancer {
    private final List<Upstream> upstreams;
    private final SmoothWeights weights;

    WeightedRoundRobinBalancer(List<Upstream> upstreams) {
        this.upstreams = Balancers.checked(upstreams);
        this.weights = new SmoothWeights(this.upstreams);
    }

    @Override
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        Split split = Split.of(upstreams);
        return split.then(upstreams, weights.order(split.up));
    }

    @Override
    public List<Upstream> upstreams() {
        return upstreams;
    }

    @Override
    public String toString() {
        return Balancers.WEIGHTED_ROUND_ROBIN + upstreams;
    }
}
