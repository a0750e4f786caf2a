package dev.strata.upstream;

import static dev.strata.upstream.Hosts.KEY;
import static dev.strata.upstream.Hosts.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpHashBalancerTest {
    private static final int CLIENTS = 10_000;

    private static InetAddress client(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aClientKeepsItsHostWhateverItRequests() {
        IpHashBalancer balancer = new IpHashBalancer(Hosts.hosts(5));

        for (int c = 0; c < 100; c++) {
            Upstream host = balancer.order(key(0), client(c)).get(0);
            for (int k = 1; k < 50; k++) {
                assertThat(balancer.order(key(k), client(c)).get(0)).isSameAs(host);
            }
        }
    }

    @Test
    void everyNodeSendsAClientToTheSameHost() {
        IpHashBalancer one = new IpHashBalancer(Hosts.hosts(5));
        IpHashBalancer other = new IpHashBalancer(Hosts.hosts(5));

        for (int c = 0; c < 1_000; c++) {
            assertThat(Hosts.uris(other.order(KEY, client(c)))).isEqualTo(Hosts.uris(one.order(KEY, client(c))));
        }
    }

    @Test
    void clientsSpreadEvenlyAndByWeight() {
        IpHashBalancer even = new IpHashBalancer(Hosts.hosts(4));
        IpHashBalancer weighted = new IpHashBalancer(Hosts.weighted(new Hosts.Ticker(), 1, 3));
        Map<Upstream, Integer> evenFirsts = new HashMap<>();
        Map<Upstream, Integer> weightedFirsts = new HashMap<>();

        for (int c = 0; c < CLIENTS; c++) {
            evenFirsts.merge(even.order(KEY, client(c)).get(0), 1, Integer::sum);
            weightedFirsts.merge(weighted.order(KEY, client(c)).get(0), 1, Integer::sum);
        }

        assertThat(evenFirsts).hasSize(4).allSatisfy((host, count) -> assertThat(count)
                .isBetween(2_200, 2_800));
        assertThat(weightedFirsts.get(weighted.upstreams().get(1))).isBetween(7_200, 7_800);
    }

    @Test
    void removingAHostMovesOnlyItsClients() {
        List<Upstream> all = Hosts.hosts(5);
        Upstream removed = all.get(3);
        List<Upstream> remaining = new ArrayList<>(all);
        remaining.remove(removed);
        IpHashBalancer before = new IpHashBalancer(all);
        IpHashBalancer after = new IpHashBalancer(remaining);
        int moved = 0;

        for (int c = 0; c < CLIENTS; c++) {
            List<Upstream> oldOrder = before.order(KEY, client(c));
            Upstream now = after.order(KEY, client(c)).get(0);
            if (oldOrder.get(0) == removed) {
                moved++;
                assertThat(now).isSameAs(oldOrder.get(1));
            } else {
                assertThat(now).isSameAs(oldOrder.get(0));
            }
        }

        assertThat(moved / (double) CLIENTS).isBetween(0.17, 0.23);
    }

    @Test
    void aHostMarkedDownGoesLastAndOnlyItsClientsMove() {
        List<Upstream> hosts = Hosts.hosts(5);
        IpHashBalancer balancer = new IpHashBalancer(hosts);
        List<List<Upstream>> before = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            before.add(balancer.order(KEY, client(c)));
        }

        hosts.get(1).markDown();

        for (int c = 0; c < CLIENTS; c++) {
            List<Upstream> expected = new ArrayList<>(before.get(c));
            expected.remove(hosts.get(1));
            expected.add(hosts.get(1));
            assertThat(balancer.order(KEY, client(c))).isEqualTo(expected);
        }
    }

    @Test
    void ipv6ClientsAreHashedToo() throws UnknownHostException {
        IpHashBalancer balancer = new IpHashBalancer(Hosts.hosts(4));
        Map<Upstream, Integer> firsts = new HashMap<>();

        for (int c = 0; c < 1_000; c++) {
            InetAddress client = InetAddress.getByName("2001:db8::" + Integer.toHexString(c));
            firsts.merge(balancer.order(KEY, client).get(0), 1, Integer::sum);
            assertThat(balancer.order(key(c), client).get(0))
                    .isSameAs(balancer.order(KEY, client).get(0));
        }

        assertThat(firsts).hasSize(4);
    }

    @Test
    void withoutAClientTheKeyPicksTheHost() {
        IpHashBalancer balancer = new IpHashBalancer(Hosts.hosts(5));
        RendezvousBalancer byKey = new RendezvousBalancer(balancer.upstreams(), Double.POSITIVE_INFINITY);

        for (int k = 0; k < 1_000; k++) {
            assertThat(balancer.order(key(k), null)).isEqualTo(byKey.order(key(k), null));
        }
    }
}
