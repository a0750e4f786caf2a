package dev.strata.cache.collapse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.collapse.RequestCollapser.Leader;
import dev.strata.cache.collapse.RequestCollapser.Pass;
import dev.strata.cache.collapse.RequestCollapser.Waiter;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestCollapserTest {
    private static final Duration WAIT = Duration.ofMinutes(1);

    private final AtomicLong nanos = new AtomicLong();
    private final RequestCollapser collapser = new RequestCollapser(Duration.ofSeconds(120), nanos::get);

    private static CacheKey key(String path) {
        return CacheKey.from("http", "example.com", path, "", KeyPolicy.defaults());
    }

    @Test
    void theFirstMissLeadsAndTheOthersWaitForItsRelease() {
        Leader leader = (Leader) collapser.join(key("/a"), WAIT);
        Waiter first = (Waiter) collapser.join(key("/a"), WAIT);
        Waiter second = (Waiter) collapser.join(key("/a"), WAIT);
        assertThat(collapser.join(key("/b"), WAIT)).as("another key").isInstanceOf(Leader.class);

        assertThat(first.released()).isNotDone();
        leader.release(false);

        assertThat(first.released()).isCompleted();
        assertThat(second.released()).isCompleted();
        assertThat(collapser.collapsedCount()).isEqualTo(2);
        assertThat(collapser.join(key("/a"), WAIT))
                .as("a new fetch after the release")
                .isInstanceOf(Leader.class);
    }

    @Test
    void releasingTwiceCountsOnceAndNeverEndsALaterFlight() {
        Leader leader = (Leader) collapser.join(key("/a"), WAIT);
        leader.release(false);
        Leader next = (Leader) collapser.join(key("/a"), WAIT);
        Waiter waiter = (Waiter) collapser.join(key("/a"), WAIT);

        leader.release(false);

        assertThat(waiter.released()).isNotDone();
        next.release(false);
        assertThat(waiter.released()).isCompleted();
        assertThat(collapser.inFlight()).isZero();
    }

    @Test
    void aPassReleaseStopsCollapsingTheKeyForTheHitForPassTime() {
        Leader leader = (Leader) collapser.join(key("/private"), WAIT);
        Waiter waiter = (Waiter) collapser.join(key("/private"), WAIT);

        leader.release(true);

        assertThat(waiter.released()).isCompleted();
        assertThat(collapser.join(key("/private"), WAIT)).isInstanceOf(Pass.class);
        assertThat(collapser.join(key("/private"), WAIT)).isInstanceOf(Pass.class);
        assertThat(collapser.passCount()).isEqualTo(2);

        nanos.addAndGet(Duration.ofSeconds(120).toNanos());
        assertThat(collapser.join(key("/private"), WAIT)).isInstanceOf(Leader.class);
    }

    @Test
    void aWaiterGivesUpAfterItsTimeout() throws Exception {
        collapser.join(key("/slow"), WAIT);
        Waiter waiter = (Waiter) collapser.join(key("/slow"), Duration.ofMillis(1));

        Throwable failure = waiter.released().handle((ok, error) -> error).get(30, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(TimeoutException.class);
    }
}
