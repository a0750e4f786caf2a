package dev.strata.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.HealthCheckConfig;
import dev.strata.config.OutlierDetectionConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ejection, backoff, slow start and health-check thresholds, with a hand-driven ticker. */
class UpstreamPoolTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final OutlierDetectionConfig OUTLIERS =
            new OutlierDetectionConfig(3, Duration.ofSeconds(10), Duration.ofSeconds(60), 50);
    private static final HealthCheckConfig CHECKS =
            new HealthCheckConfig(true, "/health", Duration.ofSeconds(1), Duration.ofSeconds(1), 3, 2);

    private final Hosts.Ticker ticker = new Hosts.Ticker();

    private UpstreamPool pool(String balancer, int hosts, int maxEjectedPercent, Duration slowStart) {
        return UpstreamPool.of(
                "test",
                balancer,
                Hosts.weighted(ticker, ones(hosts)),
                CHECKS,
                new OutlierDetectionConfig(3, Duration.ofSeconds(10), Duration.ofSeconds(60), maxEjectedPercent),
                slowStart,
                CLOCK);
    }

    private static int[] ones(int count) {
        int[] weights = new int[count];
        java.util.Arrays.fill(weights, 1);
        return weights;
    }

    private static void fail(Upstream host, int times) {
        for (int i = 0; i < times; i++) {
            host.begin().end(0, false, "status 500");
        }
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Duration base = Duration.ofSeconds(30);
        Duration max = Duration.ofMinutes(5);

        assertThat(List.of(0, 1, 2, 3, 4, 40).stream()
                        .map(n -> Duration.ofNanos(UpstreamPool.backoffNanos(base, max, n)))
                        .toList())
                .containsExactly(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(240),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(5));
    }

    @Test
    void consecutiveFailuresEjectForTheBackoffThenTheHostComesBack() {
        UpstreamPool pool = pool("round-robin", 2, 50, Duration.ZERO);
        Upstream bad = pool.upstreams().get(0);

        fail(bad, 2);
        bad.begin().end(0, true, "status 200"); // a success breaks the run
        fail(bad, 2);
        assertThat(bad.health().status()).isEqualTo(HealthState.Status.UP);
        fail(bad, 1);

        assertThat(bad.health().status()).isEqualTo(HealthState.Status.EJECTED);
        assertThat(bad.health().reason()).isEqualTo("3 consecutive failures, the last: status 500");
        assertThat(bad.health().since()).isEqualTo(CLOCK.instant());
        assertThat(bad.ejections()).isEqualTo(1);
        assertThat(bad.isAvailable()).isFalse();
        assertThat(pool.order(Hosts.KEY, null).get(0))
                .isEqualTo(pool.upstreams().get(1));

        ticker.advanceMillis(10_000);
        assertThat(bad.isAvailable()).isTrue();
        pool.reinstateExpired();
        assertThat(bad.health().status()).isEqualTo(HealthState.Status.UP);
        assertThat(bad.health().reason()).isEqualTo("ejection ended");

        fail(bad, 3); // ejected again at once: twice as long
        ticker.advanceMillis(19_999);
        assertThat(bad.isAvailable()).isFalse();
        ticker.advanceMillis(1);
        assertThat(bad.isAvailable()).isTrue();
        assertThat(bad.ejections()).isEqualTo(2);
    }

    @Test
    void backoffStartsOverAfterTheHostStayedInForMaxEjection() {
        UpstreamPool pool = pool("round-robin", 2, 50, Duration.ZERO);
        Upstream bad = pool.upstreams().get(0);
        fail(bad, 3);
        ticker.advanceMillis(10_000);
        pool.reinstateExpired();

        ticker.advanceMillis(60_001);
        fail(bad, 3);

        ticker.advanceMillis(10_000);
        assertThat(bad.isAvailable()).as("ejected for the base time again").isTrue();
    }

    @Test
    void neverEjectsMoreThanMaxEjectedPercentButAtLeastOne() {
        UpstreamPool pool = pool("round-robin", 3, 34, Duration.ZERO);
        for (Upstream host : pool.upstreams()) {
            fail(host, 10);
        }

        assertThat(pool.health().stream().map(HealthState::status))
                .containsExactly(HealthState.Status.EJECTED, HealthState.Status.UP, HealthState.Status.UP);
        assertThat(pool.maxEjected()).isEqualTo(1);
        assertThat(pool("round-robin", 4, 50, Duration.ZERO).maxEjected()).isEqualTo(2);
        assertThat(pool("round-robin", 4, 0, Duration.ZERO).maxEjected()).isZero();
    }

    @Test
    void zeroConsecutiveFailuresTurnsEjectionOff() {
        UpstreamPool pool = UpstreamPool.of(
                "off",
                "round-robin",
                Hosts.weighted(ticker, 1, 1),
                CHECKS,
                new OutlierDetectionConfig(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 100),
                Duration.ZERO,
                CLOCK);

        fail(pool.upstreams().get(0), 100);

        assertThat(pool.upstreams().get(0).health().status()).isEqualTo(HealthState.Status.UP);
    }

    @Test
    void healthChecksMarkDownAfterFallAndUpAfterRise() {
        UpstreamPool pool = pool("round-robin", 2, 50, Duration.ZERO);
        Upstream host = pool.upstreams().get(0);

        pool.checked(host, false, "connection refused");
        pool.checked(host, false, "connection refused");
        pool.checked(host, true, "");
        pool.checked(host, false, "connection refused");
        pool.checked(host, false, "connection refused");
        assertThat(host.health().status()).isEqualTo(HealthState.Status.UP);
        pool.checked(host, false, "connection refused");

        assertThat(host.health())
                .isEqualTo(new HealthState(
                        HealthState.Status.DOWN, CLOCK.instant(), "3 health checks failed: connection refused"));
        assertThat(host.checksFailed()).isEqualTo(5);

        pool.checked(host, true, "");
        assertThat(host.health().status()).isEqualTo(HealthState.Status.DOWN);
        pool.checked(host, true, "");
        assertThat(host.health().status()).isEqualTo(HealthState.Status.UP);
        assertThat(host.health().reason()).isEqualTo("2 health checks passed");
    }

    @Test
    void slowStartRampsTheWeightFromATenthToFull() {
        UpstreamPool pool = pool("weighted-round-robin", 2, 50, Duration.ofSeconds(100));
        Upstream host = pool.upstreams().get(0);
        assertThat(host.effectiveWeight()).isEqualTo(1.0);

        fail(host, 3);
        ticker.advanceMillis(10_000); // the ejection ends: slow start begins
        assertThat(host.effectiveWeight()).isEqualTo(0.1);
        ticker.advanceMillis(50_000);
        assertThat(host.effectiveWeight()).isEqualTo(0.5);
        ticker.advanceMillis(49_999);
        assertThat(host.effectiveWeight()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        ticker.advanceMillis(1);
        assertThat(host.effectiveWeight()).isEqualTo(1.0);
    }

    @Test
    void hostInSlowStartGetsItsShareOfWeightedRoundRobin() {
        UpstreamPool pool = pool("weighted-round-robin", 2, 50, Duration.ofSeconds(100));
        Upstream warming = pool.upstreams().get(0);
        fail(warming, 3);
        ticker.advanceMillis(10_000 + 25_000); // a quarter into slow start

        int first = Hosts.firsts(pool.balancer(), 1000).getOrDefault(warming, 0);

        assertThat(first).as("0.25 / 1.25 of the picks").isBetween(190, 210);
    }
}
