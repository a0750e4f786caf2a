package dev.strata.cache.collapse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.collapse.RequestCollapser.Leader;
import dev.strata.cache.collapse.RequestCollapser.Pass;
import dev.strata.cache.collapse.RequestCollapser.Waiter;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestCollapserTest {
    private final AtomicLong nanos = new AtomicLong();
    private final RequestCollapser collapser = new RequestCollapser(Duration.ofSeconds(120), nanos::get);

    private static CacheKey key(String path) {
        return CacheKey.from("http", "example.com", path, "", KeyPolicy.defaults());
    }

    @Test
    void theFirstMissLeadsAndTheOthersWaitForItsRelease() {
        Leader leader = (Leader) collapser.join(key("/a"));
        Waiter first = (Waiter) collapser.join(key("/a"));
        Waiter second = (Waiter) collapser.join(key("/a"));
        assertThat(collapser.join(key("/b"))).as("another key").isInstanceOf(Leader.class);

        assertThat(first.released().toCompletableFuture()).isNotDone();
        leader.release(false);

        assertThat(first.released().toCompletableFuture()).isCompleted();
        assertThat(second.released().toCompletableFuture()).isCompleted();
        assertThat(collapser.collapsedCount()).isEqualTo(2);
        assertThat(collapser.join(key("/a")))
                .as("a new fetch after the release")
                .isInstanceOf(Leader.class);
    }

    @Test
    void releasingTwiceCountsOnceAndNeverEndsALaterFlight() {
        Leader leader = (Leader) collapser.join(key("/a"));
        leader.release(false);
        Leader next = (Leader) collapser.join(key("/a"));
        Waiter waiter = (Waiter) collapser.join(key("/a"));

        leader.release(false);

        assertThat(waiter.released().toCompletableFuture()).isNotDone();
        next.release(false);
        assertThat(waiter.released().toCompletableFuture()).isCompleted();
        assertThat(collapser.inFlight()).isZero();
    }

    @Test
    void aPassReleaseStopsCollapsingTheKeyForTheHitForPassTime() {
        Leader leader = (Leader) collapser.join(key("/private"));
        Waiter waiter = (Waiter) collapser.join(key("/private"));

        leader.release(true);

        assertThat(waiter.released().toCompletableFuture()).isCompleted();
        assertThat(collapser.join(key("/private"))).isInstanceOf(Pass.class);
        assertThat(collapser.join(key("/private"))).isInstanceOf(Pass.class);
        assertThat(collapser.passCount()).isEqualTo(2);

        nanos.addAndGet(Duration.ofSeconds(120).toNanos());
        assertThat(collapser.join(key("/private"))).isInstanceOf(Leader.class);
    }
}
