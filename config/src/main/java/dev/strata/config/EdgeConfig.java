package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The edge role.
 *
 * @param listen where clients connect
 * @param shields the shield tier; when empty the edge fetches from the matching site's origins
 * @param cache the edge's cache tiers
 * @param limits admission limits on client requests
 * @param upstream timeouts and pools towards shields or origins
 */
public record EdgeConfig(
        ListenAddress listen, List<URI> shields, CacheConfig cache, LimitsConfig limits, UpstreamConfig upstream) {
    public EdgeConfig {
        requireNonNull(listen, "listen");
        shields = List.copyOf(shields);
        requireNonNull(cache, "cache");
        requireNonNull(limits, "limits");
        requireNonNull(upstream, "upstream");
    }

    /** An edge on {@code 127.0.0.1:8080} without shields, caching under {@code data/edge-cache}. */
    public static EdgeConfig defaults() {
        return new EdgeConfig(
                ListenAddress.of("127.0.0.1", 8080),
                List.of(),
                CacheConfig.defaults(Path.of("data", "edge-cache")),
                LimitsConfig.defaults(),
                UpstreamConfig.defaults());
    }
}
