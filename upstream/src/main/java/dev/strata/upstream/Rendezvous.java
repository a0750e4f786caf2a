package dev.strata.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: each host scores {@code hash(host, input)} and hosts
 * rank by descending score. Every node computes the same ranking for an input whatever order its
 * hosts are configured in, and when a host leaves only the inputs it ranked first move (about 1/N),
 * each to its next host in the ranking.
 *
 * <p>Reference: Thaler and Ravishankar, "Using Name-Based Mappings to Increase Hit Rates" (1998).
 * The hash is 64-bit FNV-1a of the host's URI and the input, finished with a SplitMix64 mixer so
 * similar inputs spread well. With unequal weights a score {@code h} in (0, 1) becomes {@code
 * -weight / ln(h)} (Schindelhauer and Schomaker, "Weighted Distributed Hash Tables", 2005), which
 * gives each host a share proportional to its weight and keeps the minimal movement; {@link
 * StrictMath} keeps it bit-for-bit equal on every node. With equal weights the ranking is that of
 * the raw hashes, the one nodes without weights computed. Immutable and thread-safe.
 */
final class Rendezvous {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long[] seeds;
    private final int[] weights;
    private final boolean weighted;

    Rendezvous(List<Upstream> upstreams) {
        this.seeds = new long[upstreams.size()];
        this.weights = new int[upstreams.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = fnv(FNV_OFFSET, upstreams.get(i).uri().toString().getBytes(StandardCharsets.UTF_8));
            weights[i] = upstreams.get(i).weight();
        }
        this.weighted = Arrays.stream(weights).distinct().count() > 1;
    }

    /** Indexes of the hosts, highest score for {@code input} first. */
    int[] rank(byte[] input) {
        long[] scores = new long[seeds.length];
        double[] weightedScores = new double[seeds.length];
        Integer[] indexes = new Integer[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            indexes[i] = i;
            scores[i] = mix(fnv(seeds[i], input));
            if (weighted) {
                // The signed score as an unsigned fraction in (0, 1), in the same order.
                double unit = (((scores[i] ^ Long.MIN_VALUE) >>> 11) + 0.5) * 0x1.0p-53;
                weightedScores[i] = -weights[i] / StrictMath.log(unit);
            }
        }
        Comparator<Integer> byScore = Comparator.comparingLong((Integer i) -> scores[i]);
        if (weighted) {
            byScore =
                    Comparator.comparingDouble((Integer i) -> weightedScores[i]).thenComparing(byScore);
        }
        Arrays.sort(indexes, byScore.reversed());
        int[] ranked = new int[indexes.length];
        for (int i = 0; i < ranked.length; i++) {
            ranked[i] = indexes[i];
        }
        return ranked;
    }

    private static long fnv(long seed, byte[] bytes) {
        long hash = seed;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
