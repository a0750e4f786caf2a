package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * The built-in static asset origin ({@code strata origin}).
 *
 * @param listen where it listens
 * @param dir the directory it serves
 * @param cacheControl the {@code Cache-Control} header of every response
 */
public record OriginConfig(ListenAddress listen, Path dir, String cacheControl) {
    public OriginConfig {
        requireNonNull(listen, "listen");
        requireNonNull(dir, "dir");
        requireNonNull(cacheControl, "cacheControl");
    }

    /** The origin on {@code 127.0.0.1:8000} serving {@code site}, cacheable for 60 seconds. */
    public static OriginConfig defaults() {
        return new OriginConfig(ListenAddress.of("127.0.0.1", 8000), Path.of("site"), "public, max-age=60");
    }
}
