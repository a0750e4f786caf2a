package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The origin-shield role; its origins come from {@link StrataConfig#sites()}.
 *
 * @param listen where edges connect
 * @param cache the shield's cache tiers
 * @param upstream timeouts and pools towards origins
 */
public record ShieldConfig(ListenAddress listen, CacheConfig cache, UpstreamConfig upstream) {
    public ShieldConfig {
        requireNonNull(listen, "listen");
        requireNonNull(cache, "cache");
        requireNonNull(upstream, "upstream");
    }

    /** A shield on {@code 127.0.0.1:8070}, caching under {@code data/shield-cache}. */
    public static ShieldConfig defaults() {
        return new ShieldConfig(
                ListenAddress.of("127.0.0.1", 8070),
                CacheConfig.defaults(Path.of("data", "shield-cache")),
                UpstreamConfig.defaults());
    }
}
