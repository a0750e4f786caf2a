package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Cold-miss storms: K URLs no cache has seen (they carry a token fresh for each run), each
 * requested {@code burst} times in a row. In a closed loop with at least {@code burst}
 * connections, each URL's requests arrive together, which is what request collapsing is for: a
 * cache that collapses answers one MISS and {@code burst - 1} HITs per URL and sends the origin
 * one request. The report counts {@code X-Cache} values per URL.
 *
 * <p>URLs: {@code /obj/storm-{token}-{k}?size={bytes}} on a target without a path, else the
 * target with {@code storm={token}-{k}} added to its query.
 */
public final class ColdStormWorkload implements Workload {
    private final URI[] uris;
    private final int burst;

    /**
     * @param target the target URL
     * @param urls how many fresh URLs (K)
     * @param burst requests per URL
     * @param token makes the URLs fresh, e.g. a random number
     * @param sizeBytes the body size to ask the test origin for
     */
    public ColdStormWorkload(URI target, int urls, int burst, String token, int sizeBytes) {
        requireNonNull(target, "target");
        requireNonNull(token, "token");
        if (urls < 1 || burst < 1) {
            throw new IllegalArgumentException("urls " + urls + ", burst " + burst + " (expected: both >= 1)");
        }
        this.burst = burst;
        boolean root = Targets.isRoot(target);
        uris = new URI[urls];
        for (int k = 0; k < urls; k++) {
            uris[k] = Targets.at(
                    target,
                    root
                            ? "/obj/storm-" + token + "-" + k + "?size=" + sizeBytes
                            : Targets.withParam(target, "storm=" + token + "-" + k));
        }
    }

    @Override
    public URI uri(long sequence) {
        return uris[(int) Math.min(uris.length - 1, sequence / burst)];
    }

    @Override
    public String describe() {
        return "cold-storm(urls=" + uris.length + ", burst=" + burst + ")";
    }

    @Override
    public boolean tracksUrls() {
        return true;
    }

    @Override
    public long maxRequests() {
        return (long) uris.length * burst;
    }
}
