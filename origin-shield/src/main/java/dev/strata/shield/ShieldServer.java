package dev.strata.shield;

import dev.strata.config.StrataConfig;
import dev.strata.proxy.ProxyNode;
import dev.strata.proxy.ReloadSource;
import java.time.Clock;
import java.util.function.Supplier;

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
        return ProxyNode.start(ProxyNode.Spec.forShield(config, clock));
    }

    /**
     * Starts a shield that can {@linkplain ProxyNode#reload() reload} its configuration: {@code load}
     * reads it (the file with the command line's flags on top), now and on every reload.
     *
     * @throws dev.strata.config.ConfigException when the configuration is not valid
     * @throws dev.strata.cache.store.CacheStorageException when the cache directory cannot be used
     */
    public static ProxyNode start(Supplier<StrataConfig> load, Clock clock) {
        StrataConfig config = load.get();
        return ProxyNode.start(
                ProxyNode.Spec.forShield(config, clock),
                new ReloadSource(config, load, next -> ProxyNode.Spec.forShield(next, clock)));
    }
}
