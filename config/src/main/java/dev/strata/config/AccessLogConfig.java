package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * The access log of an edge or shield: one line per request, written asynchronously to a file
 * rotated by size.
 *
 * @param enabled whether requests are logged
 * @param format {@code combined} (the nginx/Apache combined format plus Strata's fields) or {@code
 *     json} (one object per line); one of {@link #FORMATS}
 * @param path the file; {@value #ROLE} and {@value #NAME} in it are replaced by the node's role
 *     ({@code edge}, {@code shield}) and name, so nodes sharing one directory get a file each
 * @param maxSize the size past which the file is rotated ({@code access.log} becomes {@code
 *     access.log.1}, {@code .1} becomes {@code .2}, …)
 * @param maxFiles the most files kept, the one being written included
 */
public record AccessLogConfig(boolean enabled, String format, Path path, ByteSize maxSize, int maxFiles) {
    /** The formats an access log can be written in. */
    public static final List<String> FORMATS = List.of("combined", "json");

    /** Replaced by the node's role in {@link #path}. */
    public static final String ROLE = "{role}";

    /** Replaced by the node's name in {@link #path}. */
    public static final String NAME = "{name}";

    public AccessLogConfig {
        requireNonNull(format, "format");
        requireNonNull(path, "path");
        requireNonNull(maxSize, "maxSize");
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException(
                    "format: " + format + " (expected: one of " + String.join(", ", FORMATS) + ")");
        }
        if (maxSize.bytes() < 1) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected: at least 1 byte)");
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles: " + maxFiles + " (expected: >= 1)");
        }
    }

    /**
     * On, in the combined format, under {@code logs/} of the working directory (one file per node:
     * {@code logs/{role}-{name}-access.log}), rotated at 100MiB, at most 10 files.
     */
    public static AccessLogConfig defaults() {
        return new AccessLogConfig(
                true, "combined", Path.of("logs", ROLE + "-" + NAME + "-access.log"), ByteSize.ofMebibytes(100), 10);
    }

    /** The file of the node {@code name} in the role {@code role}: {@link #path} with both filled in. */
    public Path pathFor(String role, String name) {
        return Path.of(path.toString().replace(ROLE, role).replace(NAME, name));
    }

    /** This configuration, on or off. */
    public AccessLogConfig withEnabled(boolean on) {
        return new AccessLogConfig(on, format, path, maxSize, maxFiles);
    }
}
