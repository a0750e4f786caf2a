package dev.strata.shield;

import dev.strata.config.LimitsConfig;
import dev.strata.config.StrataConfig;
import dev.strata.proxy.ProxyNode;
import dev.strata.proxy.Router;
import java.time.Clock;

/** Starts a shield: the {@code shield} section of the configuration in front of its sites' origins. */
public final class ShieldServer {
    private ShieldServer() {}

    /**
     * Starts a shield and returns it running.
     *
     * @throws dev.strata.config.ConfigException when no site with origins is configured
     * @throws dev.strata.cache.store.CacheStorageException when the cache directory cannot be used
     */
    public static ProxyNode start(StrataConfig config, Clock clock) {
        ProxyNode.Spec spec = new ProxyNode.Spec(
                "shield",
                config.node().name(),
                config.shield().listen(),
                config.shield().cache(),
                LimitsConfig.defaults(),
                config.shield().upstream(),
                Router.forShield(config),
                clock,
                config.node().purgeApi());
        spec = spec.withAccessLog(config.accessLog())
                .withServerTiming(config.serverTiming().enabled());
        return ProxyNode.start(
                config.admin().enabled() ? spec.withAdmin(config.admin().listen()) : spec);
    }
}
