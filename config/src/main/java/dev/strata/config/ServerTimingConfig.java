package dev.strata.config;

/**
 * The {@code Server-Timing} response field (W3C Server Timing) of an edge or shield: how the node
 * served the request ({@code cache;desc=HIT}), the time it waited on its next hop and its own total.
 *
 * @param enabled whether responses carry it
 */
public record ServerTimingConfig(boolean enabled) {
    /** Off: the field tells clients about the CDN's internals. */
    public static ServerTimingConfig defaults() {
        return new ServerTimingConfig(false);
    }
}
