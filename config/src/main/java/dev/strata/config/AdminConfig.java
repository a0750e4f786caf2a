package dev.strata.config;

import static java.util.Objects.requireNonNull;

/**
 * The admin listener of an edge or shield: {@code /healthz}, {@code /readyz} and what else the node
 * mounts there (metrics, status page), on its own address.
 *
 * @param enabled whether the admin listener starts
 * @param listen where it listens; loopback by default
 */
public record AdminConfig(boolean enabled, ListenAddress listen) {
    public AdminConfig {
        requireNonNull(listen, "listen");
    }

    /** Off; when enabled it listens on {@code 127.0.0.1:9090}. */
    public static AdminConfig defaults() {
        return new AdminConfig(false, ListenAddress.of("127.0.0.1", 9090));
    }
}
