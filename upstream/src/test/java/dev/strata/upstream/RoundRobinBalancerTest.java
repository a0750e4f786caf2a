package dev.strata.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.net.URI;
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
    private static final URI A = URI.create("http://origin-a:8080");
    private static final URI B = URI.create("http://origin-b:8080");
    private static final URI C = URI.create("http://origin-c:8080");
    private static final CacheKey KEY = CacheKey.from("http", "example.com", "/", "", KeyPolicy.defaults());

    @Test
    void eachRequestStartsAtTheNextHostAndFailsOverThroughTheRest() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(A, B, C));

        assertThat(balancer.order(KEY)).containsExactly(A, B, C);
        assertThat(balancer.order(KEY)).containsExactly(B, C, A);
        assertThat(balancer.order(KEY)).containsExactly(C, A, B);
        assertThat(balancer.order(KEY)).containsExactly(A, B, C);
    }

    @Test
    void startingHostDoesNotDependOnTheKey() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(A, B));
        CacheKey other = CacheKey.from("http", "example.com", "/other", "", KeyPolicy.defaults());

        assertThat(balancer.order(KEY).get(0)).isEqualTo(A);
        assertThat(balancer.order(KEY).get(0)).isEqualTo(B);
        assertThat(balancer.order(other).get(0)).isEqualTo(A);
    }

    @Test
    void everyOrderHoldsEveryHostOnce() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(A, B, C));

        for (int i = 0; i < 10; i++) {
            assertThat(balancer.order(KEY)).containsExactlyInAnyOrder(A, B, C);
        }
    }

    @Test
    void requestsSpreadEvenly() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(A, B, C));
        Map<URI, Integer> firsts = new ConcurrentHashMap<>();

        for (int i = 0; i < 3_000; i++) {
            firsts.merge(balancer.order(KEY).get(0), 1, Integer::sum);
        }

        assertThat(firsts).containsOnly(Map.entry(A, 1_000), Map.entry(B, 1_000), Map.entry(C, 1_000));
    }

    @Test
    void requestsSpreadEvenlyAcrossThreads() throws Exception {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(A, B, C));
        Map<URI, Integer> firsts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 3_000; i++) {
                        firsts.merge(balancer.order(KEY).get(0), 1, Integer::sum);
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

        assertThat(firsts).containsOnly(Map.entry(A, 4_000), Map.entry(B, 4_000), Map.entry(C, 4_000));
    }

    @Test
    void singleHostIsAlwaysTheOrder() {
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(A));

        assertThat(balancer.order(KEY)).containsExactly(A);
        assertThat(balancer.order(KEY)).containsExactly(A);
    }

    @Test
    void noHostsIsRejected() {
        assertThatThrownBy(() -> new RoundRobinBalancer(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hosts");
    }
}
