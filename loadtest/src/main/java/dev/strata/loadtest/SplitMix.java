package dev.strata.loadtest;

/**
 * Uniform variates hashed from a seed and a number with SplitMix64's finalizer (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): the n-th value of a
 * seeded stream without a shared, locked generator, the same on every thread and every run.
 */
final class SplitMix {
    private SplitMix() {}

    /** A uniform variate in [0, 1) for {@code seed} and {@code n}. */
    static double uniform(long seed, long n) {
        long z = seed + (n + 1) * 0x9E37_79B9_7F4A_7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /** A standard normal variate for {@code seed} and {@code n} (Box–Muller on two uniforms). */
    static double gaussian(long seed, long n) {
        double u1 = uniform(seed, 2 * n);
        double u2 = uniform(seed, 2 * n + 1);
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }
}
