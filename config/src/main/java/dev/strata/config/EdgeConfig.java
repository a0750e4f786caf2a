package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The edge role.
 *
 * @param listen where clients connect
 * @param shields the shield tier; when empty the edge fetches from the matching site's origins
 * @param shieldBalancer how a request picks among the shields: one of {@link SiteConfig#BALANCERS}
 * @param shieldHealthCheck active health checks of the shields
 * @param shieldOutlierDetection passive ejection of failing shields
 * @param shieldSlowStart how long a shield that comes back takes to get its full share; 0 for at
 *     once
 * @param cache the edge's cache tiers
 * @param limits admission limits on client requests
 * @param upstream timeouts and pools towards shields or origins
 * @param compression compressing responses to clients ({@code br}, {@code gzip})
 */
public record EdgeConfig(
        ListenAddress listen,
        List<URI> shields,
        String shieldBalancer,
        HealthCheckConfig shieldHealthCheck,
        OutlierDetectionConfig shieldOutlierDetection,
        Duration shieldSlowStart,
        CacheConfig cache,
        LimitsConfig limits,
        UpstreamConfig upstream,
        CompressionConfig compression) {
    /** How an edge picks a shield when nothing is configured: by cache key, so a shield owns a key. */
    public static final String DEFAULT_SHIELD_BALANCER = "consistent-hash";

    public EdgeConfig {
        requireNonNull(listen, "listen");
        shields = List.copyOf(shields);
        requireNonNull(shieldBalancer, "shieldBalancer");
        requireNonNull(shieldHealthCheck, "shieldHealthCheck");
        requireNonNull(shieldOutlierDetection, "shieldOutlierDetection");
        requireNonNull(shieldSlowStart, "shieldSlowStart");
        SiteConfig.checkBalancer("shieldBalancer", shieldBalancer);
        if (shieldSlowStart.isNegative()) {
            throw new IllegalArgumentException("shieldSlowStart: " + shieldSlowStart + " (expected: >= 0)");
        }
        requireNonNull(cache, "cache");
        requireNonNull(limits, "limits");
        requireNonNull(upstream, "upstream");
        requireNonNull(compression, "compression");
    }

    /** An edge that compresses with the default settings. */
    public EdgeConfig(
            ListenAddress listen,
            List<URI> shields,
            String shieldBalancer,
            HealthCheckConfig shieldHealthCheck,
            OutlierDetectionConfig shieldOutlierDetection,
            Duration shieldSlowStart,
            CacheConfig cache,
            LimitsConfig limits,
            UpstreamConfig upstream) {
        this(
                listen,
                shields,
                shieldBalancer,
                shieldHealthCheck,
                shieldOutlierDetection,
                shieldSlowStart,
                cache,
                limits,
                upstream,
                CompressionConfig.defaults());
    }

    /** An edge whose shield pool is at its defaults. */
    public EdgeConfig(
            ListenAddress listen, List<URI> shields, CacheConfig cache, LimitsConfig limits, UpstreamConfig upstream) {
        this(
                listen,
                shields,
                DEFAULT_SHIELD_BALANCER,
                HealthCheckConfig.forShields(),
                OutlierDetectionConfig.defaults(),
                SiteConfig.DEFAULT_SLOW_START,
                cache,
                limits,
                upstream);
    }

    /** This edge with {@code newCompression} in place of its compression settings. */
    public EdgeConfig withCompression(CompressionConfig newCompression) {
        return new EdgeConfig(
                listen,
                shields,
                shieldBalancer,
                shieldHealthCheck,
                shieldOutlierDetection,
                shieldSlowStart,
                cache,
                limits,
                upstream,
                newCompression);
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
