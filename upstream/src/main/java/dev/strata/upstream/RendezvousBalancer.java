package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Consistent hashing by cache key ({@value Balancers#CONSISTENT_HASH}) with bounded loads: hosts
 * are ranked by {@link Rendezvous} hashing of the key, so every node sends a key to the same
 * shield and one shield owns each object for all PoPs; when a host leaves or is marked down only
 * the keys it owned move, each to its next host in hash order.
 *
 * <p>A hot key would pile its requests onto one host. So, as in "Consistent Hashing with Bounded
 * Loads" (Mirrokni, Thorup and Zadimoghaddam, 2018) and HAProxy's {@code hash-balance-factor}, a
 * host may hold at most {@code ceil(c × average)} requests in flight, where the average counts
 * this request: {@code (in flight on available hosts + 1) / available hosts}, scaled by the host's
 * share of the weight. A host that would exceed its cap by taking this request moves behind the
 * hosts that would not, keeping hash order on both sides, so its excess spills to the next host in
 * hash order for that key and to the one after if that is full too. {@code c} ≥ 1 trades
 * stickiness for evenness: 1.25 keeps every host within 25% of the average. In-flight counts come
 * from {@link Upstream#begin()}; without them every host is under its cap and this is plain
 * rendezvous hashing. A host in slow start keeps its keys but counts its {@linkplain
 * Upstream#effectiveWeight() effective weight} in the cap, so more of its load spills. Thread-safe.
 */
final class RendezvousBalancer implements Balancer {
    private final List<Upstream> upstreams;
    private final Rendezvous rendezvous;
    private final double loadFactor;

    /**
     * @param loadFactor {@code c}: how far above the average load a host may go, at least 1; {@link
     *     Double#POSITIVE_INFINITY} turns the bound off
     */
    RendezvousBalancer(List<Upstream> upstreams, double loadFactor) {
        this.upstreams = Balancers.checked(upstreams);
        if (!(loadFactor >= 1)) {
            throw new IllegalArgumentException("loadFactor: " + loadFactor + " (expected: >= 1)");
        }
        this.rendezvous = new Rendezvous(this.upstreams);
        this.loadFactor = loadFactor;
    }

    @Override
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        int size = upstreams.size();
        int[] ranked = rendezvous.rank(key.toBytes());
        boolean[] up = new boolean[size];
        int[] load = new int[size];
        int upCount = 0;
        long totalLoad = 0;
        double totalWeight = 0;
        double[] weight = new double[size];
        for (int i = 0; i < size; i++) {
            Upstream upstream = upstreams.get(i);
            up[i] = upstream.isAvailable();
            load[i] = upstream.inFlight();
            weight[i] = upstream.effectiveWeight();
            if (up[i]) {
                upCount++;
                totalLoad += load[i];
                totalWeight += weight[i];
            }
        }
        if (upCount == 0) { // balance over all as if they were up
            for (int i = 0; i < size; i++) {
                up[i] = true;
                totalLoad += load[i];
                totalWeight += weight[i];
            }
        }
        // Rank 0: available and under the cap; 1: available and at it; 2: marked down.
        int[][] byRank = new int[3][size];
        int[] counts = new int[3];
        for (int i : ranked) {
            int rank;
            if (!up[i]) {
                rank = 2;
            } else {
                double cap = Math.ceil(loadFactor * (totalLoad + 1) * weight[i] / totalWeight);
                rank = load[i] + 1 > cap ? 1 : 0;
            }
            byRank[rank][counts[rank]++] = i;
        }
        Upstream[] ordered = new Upstream[size];
        int at = 0;
        for (int rank = 0; rank < 3; rank++) {
            for (int r = 0; r < counts[rank]; r++) {
                ordered[at++] = upstreams.get(byRank[rank][r]);
            }
        }
        return List.of(ordered);
    }

    @Override
    public List<Upstream> upstreams() {
        return upstreams;
    }

    @Override
    public String toString() {
        return Balancers.CONSISTENT_HASH + upstreams;
    }
}
