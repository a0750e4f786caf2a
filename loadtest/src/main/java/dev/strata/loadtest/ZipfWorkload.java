package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Zipf(alpha) popularity over N objects with sizes from a {@link SizeMix}. On a target without a
 * path the URLs are {@code /obj/{rank}?size={bytes}}, which the test origin serves; on a target
 * with a path they are that path with {@code obj={rank}&size={bytes}} added to the query, N cache
 * keys of one file on a static origin (whose size is then the file's).
 *
 * <p>Request {@code i} draws its rank from a uniform variate hashed from the seed and {@code i}
 * ({@link SplitMix}), so URLs need no shared generator and the same seed gives the same sequence.
 */
public final class ZipfWorkload implements Workload {
    private final URI target;
    private final ZipfSampler sampler;
    private final String[] pathAndQuery;
    private final long seed;

    public ZipfWorkload(URI target, ZipfSampler sampler, SizeMix sizes, long seed) {
        this.target = requireNonNull(target, "target");
        this.sampler = requireNonNull(sampler, "sampler");
        this.seed = seed;
        boolean root = Targets.isRoot(target);
        pathAndQuery = new String[sampler.objects()];
        for (int k = 1; k <= sampler.objects(); k++) {
            int size = sizes.sizeOf(k);
            pathAndQuery[k - 1] =
                    root ? "/obj/" + k + "?size=" + size : Targets.withParam(target, "obj=" + k + "&size=" + size);
        }
    }

    @Override
    public URI uri(long sequence) {
        return Targets.at(target, pathAndQuery[rank(sequence) - 1]);
    }

    /** The rank request {@code sequence} asks for. */
    int rank(long sequence) {
        return sampler.rank(SplitMix.uniform(seed, sequence));
    }

    @Override
    public String describe() {
        return "zipf(alpha=" + sampler.alpha() + ", objects=" + sampler.objects() + ")";
    }
}
