package dev.strata.upstream;

import static dev.strata.upstream.Hosts.key;
import static dev.strata.upstream.Hosts.uris;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

class RendezvousBalancerTest {
    private static final int KEYS = 10_000;
    private static final double C = Balancers.DEFAULT_LOAD_FACTOR;

    private static RendezvousBalancer balancer(List<Upstream> hosts) {
        return new RendezvousBalancer(hosts, C);
    }

    private static List<URI> order(Balancer balancer, CacheKey key) {
        return uris(balancer.order(key, null));
    }

    @Test
    void orderIsTheSameOnEveryNodeForAKey() {
        RendezvousBalancer one = balancer(Hosts.hosts(5));
        RendezvousBalancer other = balancer(Hosts.hosts(5));

        for (int i = 0; i < 1_000; i++) {
            assertThat(order(other, key(i))).isEqualTo(order(one, key(i)));
            assertThat(order(one, key(i))).isEqualTo(order(one, key(i)));
        }
    }

    @Test
    void orderIsTheOneNodesWithoutWeightsCompute() {
        // Pinned from the balancer before weights, so that old and new edges agree during a rollout.
        RendezvousBalancer balancer = balancer(Hosts.hosts(5));

        assertThat(order(balancer, key(1)))
                .containsExactly(Hosts.uri(2), Hosts.uri(3), Hosts.uri(1), Hosts.uri(5), Hosts.uri(4));
    }

    @Test
    void orderDoesNotDependOnTheOrderHostsAreConfiguredIn() {
        List<URI> shuffled = new ArrayList<>(Hosts.uris(5));
        Collections.shuffle(shuffled, new Random(3));
        RendezvousBalancer one = balancer(Hosts.hosts(5));
        RendezvousBalancer other = balancer(Upstream.of(shuffled));

        for (int i = 0; i < 1_000; i++) {
            assertThat(order(other, key(i))).isEqualTo(order(one, key(i)));
        }
    }

    @Test
    void everyHostAppearsExactlyOnce() {
        RendezvousBalancer balancer = balancer(Hosts.hosts(5));

        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.order(key(i), null)).containsExactlyInAnyOrderElementsOf(balancer.upstreams());
        }
    }

    @Test
    void keysSpreadEvenlyOverThreeHosts() {
        RendezvousBalancer balancer = balancer(Hosts.hosts(3));
        Map<URI, Integer> firsts = new HashMap<>();

        for (int i = 0; i < KEYS; i++) {
            firsts.merge(order(balancer, key(i)).get(0), 1, Integer::sum);
        }

        assertThat(firsts).hasSize(3);
        for (int count : firsts.values()) {
            assertThat(count / (double) KEYS).isBetween(1 / 3.0 - 0.03, 1 / 3.0 + 0.03);
        }
    }

    @Test
    void keysSpreadByWeight() {
        RendezvousBalancer balancer = balancer(Hosts.weighted(new Hosts.Ticker(), 3, 1, 1, 5));
        Map<URI, Integer> firsts = new HashMap<>();

        for (int i = 0; i < KEYS; i++) {
            firsts.merge(order(balancer, key(i)).get(0), 1, Integer::sum);
        }

        assertThat(firsts.getOrDefault(Hosts.uri(1), 0) / (double) KEYS).isBetween(0.27, 0.33);
        assertThat(firsts.getOrDefault(Hosts.uri(2), 0) / (double) KEYS).isBetween(0.07, 0.13);
        assertThat(firsts.getOrDefault(Hosts.uri(3), 0) / (double) KEYS).isBetween(0.07, 0.13);
        assertThat(firsts.getOrDefault(Hosts.uri(4), 0) / (double) KEYS).isBetween(0.47, 0.53);
    }

    @Test
    void removingAHostMovesOnlyTheKeysItOwned() {
        List<URI> all = Hosts.uris(5);
        URI removed = all.get(2);
        List<URI> remaining = new ArrayList<>(all);
        remaining.remove(removed);
        RendezvousBalancer before = balancer(Upstream.of(all));
        RendezvousBalancer after = balancer(Upstream.of(remaining));
        int moved = 0;

        for (int i = 0; i < KEYS; i++) {
            List<URI> oldOrder = order(before, key(i));
            List<URI> newOrder = order(after, key(i));
            if (oldOrder.get(0).equals(removed)) {
                moved++;
                assertThat(newOrder.get(0)).isEqualTo(oldOrder.get(1));
            } else {
                assertThat(newOrder.get(0)).isEqualTo(oldOrder.get(0));
            }
        }

        assertThat(moved / (double) KEYS).isBetween(0.15, 0.25);
    }

    @Test
    void removingAWeightedHostMovesOnlyTheKeysItOwned() {
        Hosts.Ticker ticker = new Hosts.Ticker();
        List<Upstream> all = Hosts.weighted(ticker, 1, 2, 3, 4);
        RendezvousBalancer before = balancer(all);
        RendezvousBalancer after = balancer(List.of(all.get(0), all.get(1), all.get(3)));
        int moved = 0;

        for (int i = 0; i < KEYS; i++) {
            List<Upstream> oldOrder = before.order(key(i), null);
            List<Upstream> expected = new ArrayList<>(oldOrder);
            expected.remove(all.get(2));
            assertThat(after.order(key(i), null)).isEqualTo(expected);
            if (oldOrder.get(0) == all.get(2)) {
                moved++;
            }
        }

        assertThat(moved / (double) KEYS).isBetween(0.27, 0.33);
    }

    @Test
    void failoverOrderWithoutAHostIsTheRemainingOrder() {
        List<URI> all = Hosts.uris(5);
        URI removed = all.get(2);
        List<URI> remaining = new ArrayList<>(all);
        remaining.remove(removed);
        RendezvousBalancer before = balancer(Upstream.of(all));
        RendezvousBalancer after = balancer(Upstream.of(remaining));

        for (int i = 0; i < KEYS; i++) {
            List<URI> expected = new ArrayList<>(order(before, key(i)));
            expected.remove(removed);
            assertThat(order(after, key(i))).isEqualTo(expected);
        }
    }

    @Test
    void aHostMarkedDownGoesLastAndItsKeysMoveAsIfItWereRemoved() {
        List<Upstream> hosts = Hosts.hosts(5);
        Upstream down = hosts.get(2);
        RendezvousBalancer balancer = balancer(hosts);
        List<List<Upstream>> before = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            before.add(balancer.order(key(i), null));
        }

        down.markDown();

        for (int i = 0; i < KEYS; i++) {
            List<Upstream> expected = new ArrayList<>(before.get(i));
            expected.remove(down);
            expected.add(down);
            assertThat(balancer.order(key(i), null)).isEqualTo(expected);
        }
    }

    @Test
    void aHotKeySpillsToTheNextHostInHashOrderOnceItsHostIsAtTheCap() {
        RendezvousBalancer balancer = balancer(Hosts.hosts(4));
        CacheKey hot = key(7);
        List<Upstream> hashOrder = balancer.order(hot, null);
        Upstream owner = hashOrder.get(0);
        List<Upstream.Attempt> attempts = new ArrayList<>();
        for (Upstream other : hashOrder.subList(1, 4)) {
            for (int i = 0; i < 10; i++) {
                attempts.add(other.begin());
            }
        }

        // The owner may hold one more than ceil(1.25 × (in flight + 1) / 4): 14 of 44 in flight.
        for (int i = 0; i < 14; i++) {
            assertThat(balancer.order(hot, null)).isEqualTo(hashOrder);
            attempts.add(owner.begin());
        }
        // With 15 of 45, ceil(1.25 × 46 / 4) = 15 < 16: a 16th would be over the cap.
        attempts.add(owner.begin());
        assertThat(balancer.order(hot, null))
                .containsExactly(hashOrder.get(1), hashOrder.get(2), hashOrder.get(3), owner);

        // Keys that other hosts own stay with them.
        RendezvousBalancer unbounded = new RendezvousBalancer(balancer.upstreams(), Double.POSITIVE_INFINITY);
        for (int i = 0; i < 1_000; i++) {
            Upstream first = unbounded.order(key(i), null).get(0);
            if (first != owner) {
                assertThat(balancer.order(key(i), null).get(0)).isSameAs(first);
            }
        }

        // Once requests end, the key goes back to its own host.
        attempts.forEach(attempt -> attempt.end(true));
        assertThat(balancer.order(hot, null)).isEqualTo(hashOrder);
    }

    @Test
    void concurrentRequestsForOneKeyFillHostsInHashOrderUpToTheCap() {
        RendezvousBalancer balancer = balancer(Hosts.hosts(4));
        CacheKey hot = key(7);
        List<Upstream> hashOrder = balancer.order(hot, null);

        for (int i = 0; i < 100; i++) {
            balancer.order(hot, null).get(0).begin();
        }

        // None over ceil(1.25 × 100 / 4) = 32; the key's own host the fullest, the last the emptiest.
        assertThat(hashOrder).extracting(Upstream::inFlight).containsExactly(32, 31, 31, 6);
    }

    @Test
    void withoutBoundAHotKeyStaysOnItsHost() {
        RendezvousBalancer balancer = new RendezvousBalancer(Hosts.hosts(4), Double.POSITIVE_INFINITY);
        Upstream owner = balancer.order(key(7), null).get(0);

        for (int i = 0; i < 100; i++) {
            assertThat(balancer.order(key(7), null).get(0)).isSameAs(owner);
            owner.begin();
        }
    }

    @Test
    void weightsScaleTheCap() {
        Hosts.Ticker ticker = new Hosts.Ticker();
        List<Upstream> hosts = Hosts.weighted(ticker, 3, 1);
        RendezvousBalancer balancer = new RendezvousBalancer(hosts, 1);

        for (int i = 0; i < 400; i++) {
            balancer.order(key(i % 3), null).get(0).begin();
        }

        assertThat(hosts.get(0).inFlight()).isEqualTo(300);
        assertThat(hosts.get(1).inFlight()).isEqualTo(100);
    }

    @Test
    void singleHostIsAlwaysFirst() {
        RendezvousBalancer balancer = balancer(Hosts.hosts(1));

        assertThat(order(balancer, key(1))).containsExactly(Hosts.uri(1));
    }

    @Test
    void noHostsIsRejected() {
        assertThatThrownBy(() -> balancer(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstreams");
    }

    @Test
    void aLoadFactorBelowOneIsRejected() {
        assertThatThrownBy(() -> new RendezvousBalancer(Hosts.hosts(2), 0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loadFactor: 0.9 (expected: >= 1)");
        assertThatThrownBy(() -> new RendezvousBalancer(Hosts.hosts(2), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loadFactor: NaN (expected: >= 1)");
    }

    @Property
    void anyKeyGetsAPermutationThatEveryNodeAgreesOn(
            @ForAll @CharRange(from = '\u0001', to = '\uffff') String path, @ForAll long seed) {
        CacheKey key = CacheKey.from("http", "h", "/" + path, "", KeyPolicy.defaults());
        List<URI> shuffled = new ArrayList<>(Hosts.uris(4));
        Collections.shuffle(shuffled, new Random(seed));

        List<URI> order = order(balancer(Hosts.hosts(4)), key);

        assertThat(order).containsExactlyInAnyOrderElementsOf(Hosts.uris(4));
        assertThat(order(balancer(Upstream.of(shuffled)), key)).isEqualTo(order);
    }
}
