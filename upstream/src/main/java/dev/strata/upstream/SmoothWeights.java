package dev.strata.upstream;

import java.util.Arrays;
import java.util.List;

/**
 * nginx's smooth weighted round robin ({@code ngx_http_upstream_get_peer}): on each pick every
 * candidate adds its weight to its current weight, the candidate with the largest current weight
 * wins (the first on a tie) and gives back the total of the candidates' weights. Over any run of
 * picks among the same candidates each is picked in proportion to its weight, and interleaved
 * rather than in bursts: weights 5, 1, 1 give a a b a c a a.
 *
 * <p>Weights are the hosts' {@linkplain Upstream#effectiveWeight() effective weights}, read at each
 * pick, so a host in slow start gets its growing share. Current weights of hosts that are not
 * candidates (marked down, or busier) stay as they were. Thread-safe: picks are serialized, which
 * costs a few additions per host.
 */
final class SmoothWeights {
    private final List<Upstream> upstreams;
    private final double[] current;

    SmoothWeights(List<Upstream> upstreams) {
        this.upstreams = upstreams;
        this.current = new double[upstreams.size()];
    }

    /** Picks one of {@code candidates[0, count)}, indexes of hosts; returns its index. */
    synchronized int pick(int[] candidates, int count) {
        int best = -1;
        double total = 0;
        for (int c = 0; c < count; c++) {
            int i = candidates[c];
            double weight = upstreams.get(i).effectiveWeight();
            current[i] += weight;
            total += weight;
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= total;
        return best;
    }

    /**
     * Picks one of {@code candidates} and orders the others after it by their current weight after
     * the pick, largest first: the order in which they are due.
     */
    synchronized int[] order(int[] candidates) {
        int picked = pick(candidates, candidates.length);
        Integer[] rest = new Integer[candidates.length - 1];
        for (int c = 0, r = 0; c < candidates.length; c++) {
            if (candidates[c] != picked) {
                rest[r++] = candidates[c];
            }
        }
        Arrays.sort(rest, (a, b) -> Double.compare(current[b], current[a])); // stable: ties keep config order
        int[] ordered = new int[candidates.length];
        ordered[0] = picked;
        for (int r = 0; r < rest.length; r++) {
            ordered[r + 1] = rest[r];
        }
        return ordered;
    }
}
