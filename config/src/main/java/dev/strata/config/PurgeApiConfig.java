package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The purge API role.
 *
 * @param listen where operators connect (never the public edge port)
 * @param dir the directory of the durable purge log
 */
public record PurgeApiConfig(ListenAddress listen, Path dir) {
    public PurgeApiConfig {
        requireNonNull(listen, "listen");
        requireNonNull(dir, "dir");
    }

    /** The purge API on {@code 127.0.0.1:8090}, its log under {@code data/purge-log}. */
    public static PurgeApiConfig defaults() {
        return new PurgeApiConfig(ListenAddress.of("127.0.0.1", 8090), Path.of("data", "purge-log"));
    }
}
