package dev.strata.upstream;

import static dev.strata.upstream.Hosts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class LeastTimeBalancerTest {
    private static final long MS = 1_000_000L;

    private final Hosts.Ticker ticker = new Hosts.Ticker();
    private final SplittableRandom random = new SplittableRandom(42);

    private LeastTimeBalancer balancer(int... weights) {
        return new LeastTimeBalancer(Hosts.weighted(ticker, weights), () -> random);
    }

    /**
     * Sends {@code requests} one after another, each to the first host of its order and taking as
     * many milliseconds as {@code latencyMillis} says for that host; returns how many went to
     * {@code counted}.
     */
    private int send(Balancer balancer, int requests, ToLongFunction<Upstream> latencyMillis, Upstream counted) {
        int count = 0;
        for (int i = 0; i < requests; i++) {
            Upstream host = balancer.order(KEY, null).get(0);
            Upstream.Attempt attempt = host.begin();
            ticker.advanceMillis(latencyMillis.applyAsLong(host));
            attempt.end(true);
            if (host == counted) {
                count++;
            }
        }
        return count;
    }

    @Test
    void trafficMovesAwayFromAHostWhoseLatencyRisesAndBackWhenItRecovers() {
        LeastTimeBalancer balancer = balancer(1, 1);
        Upstream a = balancer.upstreams().get(0);
        long[] aMillis = {10};
        ToLongFunction<Upstream> latency = host -> host == a ? aMillis[0] : 10;

        assertThat(send(balancer, 2_000, latency, a)).isBetween(900, 1_100);

        aMillis[0] = 100;
        // One slow answer is enough; a is tried again only after its estimate decays (~23 s).
        assertThat(send(balancer, 2_000, latency, a)).isBetween(1, 3);

        aMillis[0] = 10;
        send(balancer, 3_000, latency, a); // a's next probe shows it recovered
        assertThat(send(balancer, 2_000, latency, a)).isBetween(900, 1_100);
    }

    @Test
    void aSlowHostGetsLittleOfTheTraffic() {
        LeastTimeBalancer balancer = balancer(1, 1, 1, 1);
        Upstream slow = balancer.upstreams().get(2);

        int toSlow = send(balancer, 10_000, host -> host == slow ? 50 : 10, slow);

        assertThat(toSlow).isLessThan(100);
    }

    @Test
    void equalHostsShareEvenly() {
        LeastTimeBalancer balancer = balancer(1, 1, 1);

        for (Upstream host : balancer.upstreams()) {
            int count = send(balancer, 9_000, other -> 10, host);
            assertThat(count).isBetween(2_700, 3_300);
        }
    }

    @Test
    void requestsInFlightCount() {
        LeastTimeBalancer balancer = balancer(1, 1);
        List<Upstream> hosts = balancer.upstreams();
        for (Upstream host : hosts) {
            host.begin().end(10 * MS, true);
        }
        hosts.get(0).begin();

        for (int i = 0; i < 100; i++) {
            assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(1), hosts.get(0));
        }
    }

    @Test
    void requestsThatStayInFlightSpreadByWeight() {
        LeastTimeBalancer balancer = balancer(5, 3, 2);
        List<Upstream> hosts = balancer.upstreams();
        for (Upstream host : hosts) {
            host.begin().end(10 * MS, true);
        }

        for (int i = 0; i < 10_000; i++) {
            balancer.order(KEY, null).get(0).begin();
        }

        assertThat(hosts.get(0).inFlight()).isBetween(4_800, 5_200);
        assertThat(hosts.get(1).inFlight()).isBetween(2_800, 3_200);
        assertThat(hosts.get(2).inFlight()).isBetween(1_800, 2_200);
    }

    @Test
    void aNewHostGetsOneProbeAtATime() {
        LeastTimeBalancer balancer = balancer(1, 1);
        List<Upstream> hosts = balancer.upstreams();
        hosts.get(0).begin().end(10 * MS, true);

        // Without history the new host looks free, until it has a request in flight.
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(1));
        Upstream.Attempt probe = hosts.get(1).begin();
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(0));
        ticker.advanceMillis(5);
        probe.end(true);
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(1));
    }

    @Test
    void aHostThatFailsFastDoesNotAttractTraffic() {
        LeastTimeBalancer balancer = balancer(1, 1);
        List<Upstream> hosts = balancer.upstreams();
        hosts.get(0).begin().end(10 * MS, true);

        hosts.get(1).begin().end(MS / 10, false); // connection refused at once

        for (int i = 0; i < 100; i++) {
            assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(0));
        }
    }

    @Test
    void aHostMarkedDownGoesLastHoweverFast() {
        LeastTimeBalancer balancer = balancer(1, 1, 1);
        List<Upstream> hosts = balancer.upstreams();
        hosts.get(0).begin().end(MS, true);
        hosts.get(1).begin().end(50 * MS, true);
        hosts.get(2).begin().end(90 * MS, true);
        hosts.get(0).markDown();

        for (int i = 0; i < 100; i++) {
            assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(1), hosts.get(2), hosts.get(0));
        }
    }
}
