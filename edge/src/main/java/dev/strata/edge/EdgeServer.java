package dev.strata.edge;

import dev.strata.config.StrataConfig;
import dev.strata.proxy.ProxyNode;
import dev.strata.proxy.ReloadSource;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Starts an edge: the {@code edge} section of the configuration, its sites, and its shields (picked
 * per cache key by consistent hashing) or, without shields, the sites' origins.
 */
public final class EdgeServer {
    private EdgeServer() {}

    /**
     * Starts an edge and returns it running.
     *
     * @throws dev.strata.config.ConfigException when there is nothing to fetch from
     * @throws dev.strata.cache.store.CacheStorageException when the cache directory cannot be used
     */
    public static ProxyNode start(StrataConfig config, Clock clock) {
        return ProxyNode.start(ProxyNode.Spec.forEdge(config, clock));
    }

    /**
     * Starts an edge that can {@linkplain ProxyNode#reload() reload} its configuration: {@code load}
     * reads it (the file with the command line's flags on top), now and on every reload.
     *
     * @throws dev.strata.config.ConfigException when the configuration is not valid
     * @throws dev.strata.cache.store.CacheStorageException when the cache directory cannot be used
     */
    public static ProxyNode start(Supplier<StrataConfig> load, Clock clock) {
        StrataConfig config = load.get();
        return ProxyNode.start(
                ProxyNode.Spec.forEdge(config, clock),
                new ReloadSource(config, load, next -> ProxyNode.Spec.forEdge(next, clock)));
    }
}
