package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Who a node is.
 *
 * @param name the node's name, shown in {@code X-Served-By}, {@code Via} and logs (a PoP name such
 *     as {@code ams} for an edge)
 * @param purgeApi the purge API whose log this edge or shield follows: at most one URL; empty for
 *     none (the node then applies no purges)
 * @param ioThreads the listener's I/O threads (nginx's {@code worker_processes}); 0 for one per
 *     CPU the process may use
 * @param drainTimeout how long a stopping edge or shield lets requests in flight finish before it
 *     closes their connections; 0 closes them at once
 */
public record NodeConfig(String name, List<URI> purgeApi, int ioThreads, Duration drainTimeout) {
    /** The most I/O threads a node accepts. */
    public static final int MAX_IO_THREADS = 256;
    /** The default {@link #drainTimeout}. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public NodeConfig {
        requireNonNull(name, "name");
        purgeApi = List.copyOf(purgeApi);
        requireNonNull(drainTimeout, "drainTimeout");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException(
                    "name: \"" + name + "\" (expected: letters, digits, '.', '_' or '-', at most 63)");
        }
        if (purgeApi.size() > 1) {
            throw new IllegalArgumentException("purgeApi: " + purgeApi + " (expected: at most one URL)");
        }
        if (ioThreads < 0 || ioThreads > MAX_IO_THREADS) {
            throw new IllegalArgumentException(
                    "ioThreads: " + ioThreads + " (expected: 0 for one per CPU, or 1 to " + MAX_IO_THREADS + ")");
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout: " + drainTimeout + " (expected: >= 0)");
        }
    }

    /** A node following {@code purgeApi}, with one I/O thread per CPU and the default drain timeout. */
    public NodeConfig(String name, List<URI> purgeApi) {
        this(name, purgeApi, 0, DEFAULT_DRAIN_TIMEOUT);
    }

    /** A node named {@code name} that follows no purge API. */
    public NodeConfig(String name) {
        this(name, List.of());
    }

    /** A node named {@code strata}. */
    public static NodeConfig defaults() {
        return new NodeConfig("strata");
    }
}
