package dev.strata.config;

import static java.util.Objects.requireNonNull;

/**
 * Who a node is.
 *
 * @param name the node's name, shown in {@code X-Served-By}, {@code Via} and logs (a PoP name such
 *     as {@code ams} for an edge)
 */
public record NodeConfig(String name) {
    public NodeConfig {
        requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException(
                    "name: \"" + name + "\" (expected: letters, digits, '.', '_' or '-', at most 63)");
        }
    }

    /** A node named {@code strata}. */
    public static NodeConfig defaults() {
        return new NodeConfig("strata");
    }
}
