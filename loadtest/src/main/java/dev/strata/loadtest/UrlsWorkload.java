package dev.strata.loadtest;

import java.net.URI;
import java.util.List;

/**
 * A fixed set of URLs requested in turn, for example the same few objects on every edge of a
 * topology: with a warm cache, a hit run spread over several nodes.
 */
public final class UrlsWorkload implements Workload {
    private final List<URI> urls;

    /** @param urls the URLs, requested in this order, round and round */
    public UrlsWorkload(List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("urls: empty (expected: at least one URL)");
        }
        this.urls = List.copyOf(urls);
    }

    @Override
    public URI uri(long sequence) {
        return urls.get((int) (sequence % urls.size()));
    }

    @Override
    public String describe() {
        return "urls(" + urls.size() + ", e.g. " + urls.get(0) + ")";
    }
}
