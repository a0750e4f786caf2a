package dev.strata.edge;

import dev.strata.config.StrataConfig;
import dev.strata.proxy.ProxyNode;
import dev.strata.proxy.Router;
import java.time.Clock;

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
        ProxyNode.Spec spec = new ProxyNode.Spec(
                "edge",
                config.node().name(),
                config.edge().listen(),
                config.edge().cache(),
                config.edge().limits(),
                config.edge().upstream(),
                Router.forEdge(config),
                clock,
                config.node().purgeApi());
        spec = spec.withAccessLog(config.accessLog())
                .withServerTiming(config.serverTiming().enabled());
        return ProxyNode.start(
                config.admin().enabled() ? spec.withAdmin(config.admin().listen()) : spec);
    }
}
