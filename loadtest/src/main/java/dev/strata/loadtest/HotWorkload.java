package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * One hot object, requested over and over: the best case for a cache. A target without a path
 * (or {@code /}) requests {@code /obj/hot?size=BYTES} of the test origin; any other target is
 * requested as given.
 */
public final class HotWorkload implements Workload {
    private final URI uri;

    /**
     * @param target the target URL
     * @param sizeBytes the body size to ask the test origin for when the target has no path
     */
    public HotWorkload(URI target, int sizeBytes) {
        requireNonNull(target, "target");
        this.uri = Targets.isRoot(target) ? Targets.at(target, "/obj/hot?size=" + sizeBytes) : target;
    }

    @Override
    public URI uri(long sequence) {
        return uri;
    }

    @Override
    public String describe() {
        return "hot(" + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + ")";
    }
}
