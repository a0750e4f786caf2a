package dev.strata.upstream;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Hosts, keys and a hand-driven ticker for the balancer tests. */
final class Hosts {
    static final CacheKey KEY = key(0);

    private Hosts() {}

    static URI uri(int i) {
        return URI.create("http://shield-" + i + ".strata.internal:8080");
    }

    static List<URI> uris(int count) {
        List<URI> uris = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            uris.add(uri(i));
        }
        return uris;
    }

    /** {@code count} hosts of weight 1. */
    static List<Upstream> hosts(int count) {
        return Upstream.of(uris(count));
    }

    /** One host per weight, timed by {@code ticker}. */
    static List<Upstream> weighted(LongSupplier ticker, int... weights) {
        List<Upstream> hosts = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            hosts.add(Upstream.of(uri(i + 1), weights[i], ticker));
        }
        return hosts;
    }

    static CacheKey key(int i) {
        return CacheKey.from("https", "www.example.com", "/assets/" + i + ".js", "", KeyPolicy.defaults());
    }

    static List<URI> uris(List<Upstream> hosts) {
        return Upstream.uris(hosts);
    }

    /** How often each host came first over {@code picks} orders for {@link #KEY}. */
    static Map<Upstream, Integer> firsts(Balancer balancer, int picks) {
        Map<Upstream, Integer> firsts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            firsts.merge(balancer.order(KEY, null).get(0), 1, Integer::sum);
        }
        return firsts;
    }

    /** Nanoseconds that move only when told to. */
    static final class Ticker implements LongSupplier {
        private long nanos = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return nanos;
        }

        void advanceMillis(long millis) {
            nanos += millis * 1_000_000L;
        }
    }
}
