package dev.strata.dist;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The flags every caching node ({@code edge}, {@code shield}) shares. */
final class NodeOptions {
    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Address to listen on.")
    @Nullable
    String listen;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "The disk cache directory.")
    @Nullable
    Path cacheDir;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML configuration file.")
    @Nullable
    Path config;

    @Option(names = "--name", paramLabel = "NAME", description = "This node's name, e.g. its PoP.")
    @Nullable
    String name;

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            description =
                    "Start the admin listener (health, readiness, metrics, status page, POST /reload) on this address.")
    @Nullable
    String admin;

    @Option(
            names = "--access-log",
            paramLabel = "FILE|off",
            description = "Where the access log goes ({role} and {name} are replaced by the node's), or off.")
    @Nullable
    String accessLog;

    /** These flags as overrides of the {@code role} section ({@code edge} or {@code shield}). */
    Flags flags(String role) {
        return new Flags()
                .set(role + ".listen", listen)
                .set(role + ".cache.dir", cacheDir)
                .set("node.name", name)
                .set("admin.enabled", admin == null ? null : true)
                .set("admin.listen", admin)
                .set("access-log.enabled", accessLog == null ? null : !accessLog.equals("off"))
                .set("access-log.path", accessLog == null || accessLog.equals("off") ? null : accessLog);
    }
}
