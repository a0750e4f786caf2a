package dev.strata.upstream;

import static dev.strata.upstream.Hosts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastConnectionsBalancerTest {
    private final Hosts.Ticker ticker = new Hosts.Ticker();

    @Test
    void theHostWithFewestInFlightComesFirst() {
        List<Upstream> hosts = Hosts.hosts(3);
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(hosts);
        hosts.get(0).begin();
        hosts.get(0).begin();
        hosts.get(1).begin();

        assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(2), hosts.get(1), hosts.get(0));
    }

    @Test
    void aHostGetsRequestsBackWhenItsRequestsEnd() {
        List<Upstream> hosts = Hosts.hosts(2);
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(hosts);
        Upstream.Attempt first = hosts.get(0).begin();
        Upstream.Attempt second = hosts.get(0).begin();
        hosts.get(1).begin();

        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(1));
        first.end(true);
        second.end(false);
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(0));
    }

    @Test
    void inFlightCountsAreWeighed() {
        List<Upstream> hosts = Hosts.weighted(ticker, 4, 1);
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(hosts);
        for (int i = 0; i < 7; i++) {
            hosts.get(0).begin();
        }
        hosts.get(1).begin();

        // 7 / 4 against 1 / 1.
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(1));
        hosts.get(1).begin();
        // 7 / 4 against 2 / 1.
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(0));
    }

    @Test
    void requestsThatStayInFlightSpreadByWeight() {
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(Hosts.weighted(ticker, 5, 3, 2));
        List<Upstream> hosts = balancer.upstreams();

        for (int i = 0; i < 10_000; i++) {
            balancer.order(KEY, null).get(0).begin();
        }

        assertThat(hosts).extracting(Upstream::inFlight).containsExactly(5_000, 3_000, 2_000);
    }

    @Test
    void anIdlePoolSharesByWeightInsteadOfFavoringTheFirstHost() {
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(Hosts.weighted(ticker, 5, 3, 2));
        List<Upstream> hosts = balancer.upstreams();

        // Each request ends before the next: every pick is a tie at zero in flight.
        Map<Upstream, Integer> firsts = Hosts.firsts(balancer, 10_000);

        assertThat(firsts)
                .containsOnly(
                        Map.entry(hosts.get(0), 5_000), Map.entry(hosts.get(1), 3_000), Map.entry(hosts.get(2), 2_000));
    }

    @Test
    void tiesRotateAmongEqualHosts() {
        List<Upstream> hosts = Hosts.hosts(3);
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(hosts);

        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(0));
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(1));
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(2));
        assertThat(balancer.order(KEY, null).get(0)).isSameAs(hosts.get(0));
    }

    @Test
    void aHostMarkedDownGoesLastEvenWhenIdle() {
        List<Upstream> hosts = Hosts.hosts(3);
        LeastConnectionsBalancer balancer = new LeastConnectionsBalancer(hosts);
        hosts.get(1).begin();
        hosts.get(2).begin();
        hosts.get(2).begin();
        hosts.get(0).markDown();

        assertThat(balancer.order(KEY, null)).containsExactly(hosts.get(1), hosts.get(2), hosts.get(0));
    }
}
