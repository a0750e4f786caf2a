package dev.strata.loadtest;

import java.util.Arrays;

/**
 * Zipf-distributed ranks: rank {@code k} of {@code n} with probability {@code k^-alpha / H(n,
 * alpha)}, where {@code H(n, alpha) = sum of i^-alpha for i in 1..n}. Web object popularity
 * follows this closely, with alpha between about 0.6 and 1.2 (Breslau et al., "Web Caching and
 * Zipf-like Distributions", INFOCOM 1999).
 *
 * <p>Sampling inverts the cumulative distribution, precomputed once ({@code 8 n} bytes), by binary
 * search: O(log n) per sample, exact for any alpha >= 0. Immutable and thread-safe.
 */
public final class ZipfSampler {
    private final double[] cumulative;
    private final double alpha;

    /**
     * @param objects how many ranks, at least 1
     * @param alpha the exponent, at least 0 (0 is uniform)
     */
    public ZipfSampler(int objects, double alpha) {
        if (objects < 1) {
            throw new IllegalArgumentException("objects: " + objects + " (expected: >= 1)");
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha: " + alpha + " (expected: a finite number >= 0)");
        }
        this.alpha = alpha;
        cumulative = new double[objects];
        double sum = 0;
        for (int k = 1; k <= objects; k++) {
            sum += Math.pow(k, -alpha);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < objects; i++) {
            cumulative[i] /= sum;
        }
        cumulative[objects - 1] = 1.0;
    }

    /** The number of ranks. */
    public int objects() {
        return cumulative.length;
    }

    public double alpha() {
        return alpha;
    }

    /** The probability of rank {@code k} (1-based). */
    public double probability(int k) {
        return cumulative[k - 1] - (k == 1 ? 0 : cumulative[k - 2]);
    }

    /** The rank (1 to {@link #objects()}) at the uniform variate {@code u} in [0, 1). */
    public int rank(double u) {
        int i = Arrays.binarySearch(cumulative, u);
        // Not found: the first entry above u; found: u is the upper edge of rank i+1, so the next.
        int index = i >= 0 ? i + 1 : -i - 1;
        return Math.min(index, cumulative.length - 1) + 1;
    }
}
