package dev.strata.upstream;

import static dev.strata.upstream.Hosts.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
    private final List<Upstream> hosts = Hosts.hosts(3);
    private final Upstream a = hosts.get(0);
    private final Upstream b = hosts.get(1);
    private final Upstream c = hosts.get(2);

    @Test
    void eachRequestStartsAtTheNextHostAndFailsOverThroughTheRest() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(hosts);

        assertThat(balancer.order(KEY, null)).containsExactly(a, b, c);
        assertThat(balancer.order(KEY, null)).containsExactly(b, c, a);
        assertThat(balancer.order(KEY, null)).containsExactly(c, a, b);
        assertThat(balancer.order(KEY, null)).containsExactly(a, b, c);
    }

    @Test
    void startingHostDoesNotDependOnTheKey() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(a, b));
        CacheKey other = CacheKey.from("http", "example.com", "/other", "", KeyPolicy.defaults());

        assertThat(balancer.order(KEY, null).get(0)).isEqualTo(a);
        assertThat(balancer.order(KEY, null).get(0)).isEqualTo(b);
        assertThat(balancer.order(other, null).get(0)).isEqualTo(a);
    }

    @Test
    void everyOrderHoldsEveryHostOnce() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(hosts);

        for (int i = 0; i < 10; i++) {
            assertThat(balancer.order(KEY, null)).containsExactlyInAnyOrder(a, b, c);
        }
    }

    @Test
    void requestsSpreadEvenlyWhateverTheWeights() {
        Hosts.Ticker ticker = new Hosts.Ticker();
        RoundRobinBalancer balancer = new RoundRobinBalancer(Hosts.weighted(ticker, 5, 1, 1));

        assertThat(Hosts.firsts(balancer, 3_000))
                .containsOnlyKeys(balancer.upstreams())
                .allSatisfy((host, count) -> assertThat(count).isEqualTo(1_000));
    }

    @Test
    void requestsSpreadEvenlyAcrossThreads() throws Exception {
        RoundRobinBalancer balancer = new RoundRobinBalancer(hosts);
        Map<Upstream, Integer> firsts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 3_000; i++) {
                        firsts.merge(balancer.order(KEY, null).get(0), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(10, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(firsts).containsOnly(Map.entry(a, 4_000), Map.entry(b, 4_000), Map.entry(c, 4_000));
    }

    @Test
    void aHostMarkedDownIsSkippedAndTriedLast() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(hosts);
        b.markDown();

        assertThat(balancer.order(KEY, null)).containsExactly(a, c, b);
        assertThat(balancer.order(KEY, null)).containsExactly(c, a, b);
        assertThat(balancer.order(KEY, null)).containsExactly(a, c, b);

        b.markUp();
        assertThat(balancer.order(KEY, null)).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void singleHostIsAlwaysTheOrder() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(a));

        assertThat(balancer.order(KEY, null)).containsExactly(a);
        assertThat(balancer.order(KEY, null)).containsExactly(a);
    }

    @Test
    void noHostsIsRejected() {
        assertThatThrownBy(() -> new RoundRobinBalancer(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstreams: [] (expected: at least one)");
    }
}
