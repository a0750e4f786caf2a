package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.config.StrataConfig;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a node's configuration comes from, so that a reload can read it again.
 *
 * @param started the configuration the node started with
 * @param load reads and validates the configuration again (the file, with the command line's flags
 *     on top), throwing {@link dev.strata.config.ConfigException} when it cannot; called on the
 *     thread that reloads, never an I/O thread
 * @param spec what the node's {@link ProxyNode.Spec} is under a configuration (its role's
 *     sections, a new {@link Router}); may throw {@link dev.strata.config.ConfigException} too
 */
public record ReloadSource(
        StrataConfig started, Supplier<StrataConfig> load, Function<StrataConfig, ProxyNode.Spec> spec) {
    public ReloadSource {
        requireNonNull(started, "started");
        requireNonNull(load, "load");
        requireNonNull(spec, "spec");
    }
}
