package dev.strata.loadtest;

/**
 * Body sizes of a realistic mix: lognormal (the shape measured for web objects, e.g. Downey,
 * "Lognormal and Pareto distributions in the Internet", 2005) with a given median and spread,
 * clamped to 1 KiB–1 MiB. Each object's size is hashed from the run's seed and the object's
 * number ({@link SplitMix}), so a seed always gives the same sizes. Immutable and thread-safe.
 */
public final class SizeMix {
    /** The smallest size: 1 KiB. */
    public static final int MIN_BYTES = 1024;

    /** The largest size: 1 MiB. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final long seed;
    private final double mu;
    private final double sigma;

    /**
     * @param seed the seed of every size
     * @param medianBytes the median before clamping, e.g. 16 KiB
     * @param sigma the spread of the size's natural logarithm, e.g. 1.5
     */
    public SizeMix(long seed, double medianBytes, double sigma) {
        if (!(medianBytes > 0) || !(sigma >= 0)) {
            throw new IllegalArgumentException(
                    "median " + medianBytes + ", sigma " + sigma + " (expected: median > 0, sigma >= 0)");
        }
        // Its own stream: a Zipf workload hashes the same seed for its ranks.
        this.seed = seed ^ 0x5EED_5123_0000_0001L;
        this.mu = Math.log(medianBytes);
        this.sigma = sigma;
    }

    /** The usual mix: median 16 KiB, sigma 1.5 (about 10 % under 2.4 KiB, 10 % over 110 KiB). */
    public static SizeMix web(long seed) {
        return new SizeMix(seed, 16 * 1024, 1.5);
    }

    /** The size of object {@code index}, in bytes, between {@link #MIN_BYTES} and {@link #MAX_BYTES}. */
    public int sizeOf(long index) {
        return clamp(Math.exp(mu + sigma * SplitMix.gaussian(seed, index)));
    }

    /** {@code bytes} rounded and clamped to 1 KiB–1 MiB. */
    static int clamp(double bytes) {
        if (!(bytes > MIN_BYTES)) { // also NaN
            return MIN_BYTES;
        }
        return (int) Math.min(MAX_BYTES, Math.round(bytes));
    }
}
