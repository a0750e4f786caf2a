package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.config.LimitsConfig;
import dev.strata.upstream.UpstreamPool;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link ProxyNode.Spec} a running node's requests read now: a reload swaps it whole, and each
 * request reads it once, then runs to its end with what it read. Thread-safe.
 */
final class LiveSpec implements Supplier<ProxyNode.Spec> {
    private volatile ProxyNode.Spec spec;

    LiveSpec(ProxyNode.Spec spec) {
        this.spec = requireNonNull(spec, "spec");
    }

    @Override
    public ProxyNode.Spec get() {
        return spec;
    }

    /** The router now. */
    Router router() {
        return spec.router();
    }

    /** The admission limits now. */
    LimitsConfig limits() {
        return spec.limits();
    }

    /** An edge's WAF and rate limits now. */
    RequestFilters filters() {
        return spec.filters();
    }

    /** The router's pools now. */
    List<UpstreamPool> pools() {
        return spec.router().pools();
    }

    void set(ProxyNode.Spec next) {
        spec = requireNonNull(next, "next");
    }
}
