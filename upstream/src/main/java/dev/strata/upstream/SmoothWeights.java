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
 * <p>Current weights of hosts that are not candidates (marked down, or busier) stay as they were.
 * Thread-safe: picks are serialized, which costs a few additions per host.
 */
final class SmoothWeights {
    private final int[] weights;
    private final long[] current;

    SmoothWeights(List<Upstream> upstreams) {
        this.weights = new int[upstreams.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = upstreams.get(i).weight();
        }
        this.current = new long[weights.length];
    }

    /** Picks one of {@code candidates[0, count)}, indexes of hosts; returns its index. */
    synchronized int pick(int[] candidates, int count) {
        int best = -1;
        long total = 0;
        for (int c = 0; c < count; c++) {
            int i = candidates[c];
            current[i] += weights[i];
            total += weights[i];
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
        Arrays.sort(rest, (a, b) -> Long.compare(current[b], current[a])); // stable: ties keep config order
        int[] ordered = new int[candidates.length];
        ordered[0] = picked;
        for (int r = 0; r < rest.length; r++) {
            ordered[r + 1] = rest[r];
        }
        return ordered;
    }
}
