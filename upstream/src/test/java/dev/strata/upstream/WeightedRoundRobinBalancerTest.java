package dev.strata.upstream;

import static dev.strata.upstream.Hosts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinBalancerTest {
    private final Hosts.Ticker ticker = new Hosts.Ticker();

    private static List<Upstream> firsts(Balancer balancer, int picks) {
        List<Upstream> firsts = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            firsts.add(balancer.order(KEY, null).get(0));
        }
        return firsts;
    }

    @Test
    void weightsFiveOneOneGiveNginxsSequence() {
        List<Upstream> hosts = Hosts.weighted(ticker, 5, 1, 1);
        Upstream a = hosts.get(0);
        Upstream b = hosts.get(1);
        Upstream c = hosts.get(2);
        WeightedRoundRobinBalancer balancer = new WeightedRoundRobinBalancer(hosts);

        assertThat(firsts(balancer, 14)).containsExactly(a, a, b, a, c, a, a, a, a, b, a, c, a, a);
    }

    @Test
    void requestsSpreadExactlyByWeight() {
        WeightedRoundRobinBalancer balancer = new WeightedRoundRobinBalancer(Hosts.weighted(ticker, 5, 3, 2));
        List<Upstream> hosts = balancer.upstreams();

        assertThat(Hosts.firsts(balancer, 10_000))
                .containsOnly(
                        Map.entry(hosts.get(0), 5_000), Map.entry(hosts.get(1), 3_000), Map.entry(hosts.get(2), 2_000));
    }

    @Test
    void equalWeightsNeverPickAHostTwiceInARow() {
        WeightedRoundRobinBalancer balancer = new WeightedRoundRobinBalancer(Hosts.weighted(ticker, 2, 2, 3));

        List<Upstream> firsts = firsts(balancer, 10_000);

        for (int i = 1; i < firsts.size(); i++) {
            if (firsts.get(i).weight() == 2) {
                assertThat(firsts.get(i)).isNotSameAs(firsts.get(i - 1));
            }
        }
    }

    @Test
    void failoverGoesToTheHostDueNext() {
        List<Upstream> hosts = Hosts.weighted(ticker, 5, 1, 1);
        WeightedRoundRobinBalancer balancer = new WeightedRoundRobinBalancer(hosts);

        // Current weights after each pick: -2 1 1, then -4 2 2 (b and c tie), then 1 -4 3.
        assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(0), hosts.get(1), hosts.get(2));
        assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(0), hosts.get(1), hosts.get(2));
        assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(1), hosts.get(2), hosts.get(0));
    }

    @Test
    void aHostMarkedDownGetsNothingAndGoesLast() {
        List<Upstream> hosts = Hosts.weighted(ticker, 5, 3, 2);
        WeightedRoundRobinBalancer balancer = new WeightedRoundRobinBalancer(hosts);
        hosts.get(1).markDown();

        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.order(KEY, null).get(2)).isSameAs(hosts.get(1));
        }
        assertThat(Hosts.firsts(balancer, 7_000))
                .containsOnly(Map.entry(hosts.get(0), 5_000), Map.entry(hosts.get(2), 2_000));
    }
}
