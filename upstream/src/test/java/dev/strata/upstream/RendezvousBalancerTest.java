package dev.strata.upstream;

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

    private static List<URI> hosts(int count) {
        List<URI> hosts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            hosts.add(URI.create("http://shield-" + i + ".strata.internal:8080"));
        }
        return hosts;
    }

    private static CacheKey key(int i) {
        return CacheKey.from("https", "www.example.com", "/assets/" + i + ".js", "", KeyPolicy.defaults());
    }

    @Test
    void orderIsTheSameOnEveryNodeForAKey() {
        RendezvousBalancer one = new RendezvousBalancer(hosts(5));
        RendezvousBalancer other = new RendezvousBalancer(hosts(5));

        for (int i = 0; i < 1_000; i++) {
            assertThat(other.order(key(i))).isEqualTo(one.order(key(i)));
            assertThat(one.order(key(i))).isEqualTo(one.order(key(i)));
        }
    }

    @Test
    void orderDoesNotDependOnTheOrderHostsAreConfiguredIn() {
        List<URI> shuffled = new ArrayList<>(hosts(5));
        Collections.shuffle(shuffled, new Random(3));
        RendezvousBalancer one = new RendezvousBalancer(hosts(5));
        RendezvousBalancer other = new RendezvousBalancer(shuffled);

        for (int i = 0; i < 1_000; i++) {
            assertThat(other.order(key(i))).isEqualTo(one.order(key(i)));
        }
    }

    @Test
    void everyHostAppearsExactlyOnce() {
        RendezvousBalancer balancer = new RendezvousBalancer(hosts(5));

        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.order(key(i))).containsExactlyInAnyOrderElementsOf(hosts(5));
        }
    }

    @Test
    void keysSpreadEvenlyOverThreeHosts() {
        RendezvousBalancer balancer = new RendezvousBalancer(hosts(3));
        Map<URI, Integer> firsts = new HashMap<>();

        for (int i = 0; i < KEYS; i++) {
            firsts.merge(balancer.order(key(i)).get(0), 1, Integer::sum);
        }

        assertThat(firsts).hasSize(3);
        for (int count : firsts.values()) {
            assertThat(count / (double) KEYS).isBetween(1 / 3.0 - 0.03, 1 / 3.0 + 0.03);
        }
    }

    @Test
    void removingAHostMovesOnlyTheKeysItOwned() {
        List<URI> all = hosts(5);
        URI removed = all.get(2);
        List<URI> remaining = new ArrayList<>(all);
        remaining.remove(removed);
        RendezvousBalancer before = new RendezvousBalancer(all);
        RendezvousBalancer after = new RendezvousBalancer(remaining);
        int moved = 0;

        for (int i = 0; i < KEYS; i++) {
            List<URI> oldOrder = before.order(key(i));
            List<URI> newOrder = after.order(key(i));
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
    void failoverOrderWithoutAHostIsTheRemainingOrder() {
        List<URI> all = hosts(5);
        URI removed = all.get(2);
        List<URI> remaining = new ArrayList<>(all);
        remaining.remove(removed);
        RendezvousBalancer before = new RendezvousBalancer(all);
        RendezvousBalancer after = new RendezvousBalancer(remaining);

        for (int i = 0; i < KEYS; i++) {
            List<URI> expected = new ArrayList<>(before.order(key(i)));
            expected.remove(removed);
            assertThat(after.order(key(i))).isEqualTo(expected);
        }
    }

    @Test
    void singleHostIsAlwaysFirst() {
        RendezvousBalancer balancer = new RendezvousBalancer(hosts(1));

        assertThat(balancer.order(key(1))).containsExactly(hosts(1).get(0));
    }

    @Test
    void noHostsIsRejected() {
        assertThatThrownBy(() -> new RendezvousBalancer(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hosts");
    }

    @Property
    void anyKeyGetsAPermutationThatEveryNodeAgreesOn(
            @ForAll @CharRange(from = '\u0001', to = '\uffff') String path, @ForAll long seed) {
        CacheKey key = CacheKey.from("http", "h", "/" + path, "", KeyPolicy.defaults());
        List<URI> shuffled = new ArrayList<>(hosts(4));
        Collections.shuffle(shuffled, new Random(seed));

        List<URI> order = new RendezvousBalancer(hosts(4)).order(key);

        assertThat(order).containsExactlyInAnyOrderElementsOf(hosts(4));
        assertThat(new RendezvousBalancer(shuffled).order(key)).isEqualTo(order);
    }
}
