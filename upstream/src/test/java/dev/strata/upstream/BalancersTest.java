package dev.strata.upstream;

import static dev.strata.upstream.Hosts.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class BalancersTest {
    static final List<String> NAMES = Balancers.NAMES;

    private static InetAddress client(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, (byte) (i >>> 8), (byte) i});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyNameMakesItsBalancer() {
        List<Upstream> hosts = Hosts.hosts(3);

        assertThat(Balancers.of("round-robin", hosts)).isInstanceOf(RoundRobinBalancer.class);
        assertThat(Balancers.of("weighted-round-robin", hosts)).isInstanceOf(WeightedRoundRobinBalancer.class);
        assertThat(Balancers.of("least-connections", hosts)).isInstanceOf(LeastConnectionsBalancer.class);
        assertThat(Balancers.of("least-time", hosts)).isInstanceOf(LeastTimeBalancer.class);
        assertThat(Balancers.of("ip-hash", hosts)).isInstanceOf(IpHashBalancer.class);
        assertThat(Balancers.of("consistent-hash", hosts, 2.0)).isInstanceOf(RendezvousBalancer.class);
        assertThat(Balancers.of("consistent-hash", hosts)).hasToString("consistent-hash" + hosts);
    }

    @Test
    void anUnknownNameIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Balancers.of("random", Hosts.hosts(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("balancer: \"random\" (expected: one of round-robin, weighted-round-robin,"
                        + " least-connections, least-time, ip-hash, consistent-hash)");
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void noHostsIsRejected(String name) {
        assertThatThrownBy(() -> Balancers.of(name, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstreams: [] (expected: at least one)");
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void hostsMarkedDownGoLast(String name) {
        List<Upstream> hosts = Hosts.hosts(5);
        Balancer balancer = Balancers.of(name, hosts);
        hosts.get(1).markDown();
        hosts.get(3).markDown();

        for (int i = 0; i < 1_000; i++) {
            List<Upstream> order = balancer.order(key(i), client(i));
            assertThat(order).containsExactlyInAnyOrderElementsOf(hosts);
            assertThat(order.subList(3, 5)).containsExactlyInAnyOrder(hosts.get(1), hosts.get(3));
            Upstream.Attempt attempt = order.get(0).begin();
            if (i % 2 == 0) {
                attempt.end(1_000_000L, true);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void whenAllAreDownAllAreBalancedOver(String name) {
        List<Upstream> hosts = Hosts.hosts(3);
        Balancer balancer = Balancers.of(name, hosts);
        hosts.forEach(Upstream::markDown);

        List<Upstream> firsts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<Upstream> order = balancer.order(key(i), client(i));
            assertThat(order).containsExactlyInAnyOrderElementsOf(hosts);
            firsts.add(order.get(0));
            order.get(0).begin().end(1_000_000L, true);
        }

        assertThat(firsts).containsAll(hosts);
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void concurrentRequestsSeeConsistentOrdersAndLeaveNothingInFlight(String name) throws Exception {
        List<Upstream> hosts = Hosts.weighted(System::nanoTime, 1, 2, 3, 4);
        Balancer balancer = Balancers.of(name, hosts);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 5_000; i++) {
                        if (i % 500 == 0) {
                            Upstream flapping = hosts.get(random.nextInt(hosts.size()));
                            if (random.nextBoolean()) {
                                flapping.markDown();
                            } else {
                                flapping.markUp();
                            }
                        }
                        List<Upstream> order = balancer.order(key(random.nextInt(100)), client(i));
                        assertThat(order).hasSize(4).doesNotHaveDuplicates();
                        order.get(0).begin().end(random.nextInt(1_000_000), random.nextInt(10) > 0);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(hosts).extracting(Upstream::inFlight).containsOnly(0);
    }
}
