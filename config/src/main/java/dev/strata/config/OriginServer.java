package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * One origin server of a site. Written as its URL alone ({@code http://10.0.0.1:8000}, weight 1) or
 * as a map ({@code {url: http://10.0.0.2:8000, weight: 3}}).
 *
 * @param url where its requests go
 * @param weight its share of requests relative to the site's other origins, for the balancers that
 *     weigh hosts; at least 1
 */
public record OriginServer(URI url, int weight) {
    public OriginServer {
        requireNonNull(url, "url");
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
    }

    /** An origin of weight 1. */
    public static OriginServer of(URI url) {
        return new OriginServer(url, 1);
    }

    @Override
    public String toString() {
        return weight == 1 ? url.toString() : url + " weight " + weight;
    }
}
