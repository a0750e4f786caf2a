package dev.strata.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    private static final long MS = 1_000_000L;
    private static final URI ORIGIN = URI.create("http://origin-a:8080");

    private final Hosts.Ticker ticker = new Hosts.Ticker();
    private final Upstream host = Upstream.of(ORIGIN, 2, ticker);

    @Test
    void aRequestIsInFlightFromBeginToEnd() {
        Upstream.Attempt one = host.begin();
        Upstream.Attempt two = host.begin();
        assertThat(host.inFlight()).isEqualTo(2);

        one.end(true);
        assertThat(host.inFlight()).isEqualTo(1);
        two.end(false);
        assertThat(host.inFlight()).isZero();
    }

    @Test
    void endingTwiceCountsOnce() {
        Upstream.Attempt one = host.begin();
        host.begin();

        one.end(true);
        one.end(false);
        one.end(5 * MS, true);

        assertThat(host.inFlight()).isEqualTo(1);
    }

    @Test
    void endedAttemptsAreCountedWithTheirMeasuredLatencyAndFailures() {
        host.begin().end(10 * MS, true);
        host.begin().end(30 * MS, false);
        Upstream.Attempt twice = host.begin();
        twice.end(5 * MS, true);
        twice.end(5 * MS, true);
        host.begin().abandon();
        host.begin();

        assertThat(host.attempts()).isEqualTo(3);
        assertThat(host.failures()).isEqualTo(1);
        assertThat(host.latencyTotalNanos())
                .as("as measured: a failure is not raised to the second balancers count it as")
                .isEqualTo(45 * MS);
    }

    @Test
    void latencyIsMeasuredFromBeginByTheTicker() {
        Upstream.Attempt attempt = host.begin();
        ticker.advanceMillis(40);
        attempt.end(true);

        assertThat(host.latencyNanos()).isEqualTo(40 * MS);
    }

    @Test
    void aPeakReplacesTheEstimateAtOnce() {
        host.begin().end(10 * MS, true);
        ticker.advanceMillis(1);
        host.begin().end(200 * MS, true);

        assertThat(host.latencyNanos()).isEqualTo(200 * MS);
    }

    @Test
    void lowerLatenciesPullTheEstimateDownByTheTimeTheyCover() {
        host.begin().end(100 * MS, true);
        ticker.advanceMillis(Upstream.DECAY_SECONDS * 1_000); // one decay time: 1/e of the old weight
        host.begin().end(10 * MS, true);

        double expected = 100 * MS * Math.exp(-1) + 10 * MS * (1 - Math.exp(-1));
        assertThat((double) host.latencyNanos()).isCloseTo(expected, offset(1.0));
    }

    @Test
    void theEstimateDecaysWhileNobodyAsks() {
        host.begin().end(100 * MS, true);

        ticker.advanceMillis(Upstream.DECAY_SECONDS * 1_000 * 3);

        assertThat((double) host.latencyNanos()).isCloseTo(100 * MS * Math.exp(-3), offset(1.0));
    }

    @Test
    void aFailureCountsAsAtLeastOneSecond() {
        host.begin().end(MS, false);

        assertThat(host.latencyNanos()).isEqualTo(Upstream.FAILURE_NANOS);
    }

    @Test
    void costIsLatencyTimesInFlightPlusOneOverWeight() {
        assertThat(host.cost()).isZero();
        host.begin().end(10 * MS, true);
        host.begin();
        host.begin();

        assertThat(host.cost()).isEqualTo(10.0 * MS * 3 / 2);
    }

    @Test
    void aHostWithoutHistoryAndRequestsInFlightCostsMoreThanAnyLatency() {
        host.begin();

        assertThat(host.cost()).isGreaterThan(1e12);
    }

    @Test
    void aHealthCheckerMarksItDownAndUp() {
        assertThat(host.isAvailable()).isTrue();
        host.markDown();
        assertThat(host.isAvailable()).isFalse();
        host.markUp();
        assertThat(host.isAvailable()).isTrue();
    }

    @Test
    void weightBelowOneIsRejected() {
        assertThatThrownBy(() -> Upstream.of(ORIGIN, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: 0 (expected: >= 1)");
    }

    @Test
    void aNegativeLatencyIsRejected() {
        Upstream.Attempt attempt = host.begin();

        assertThatThrownBy(() -> attempt.end(-1, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latencyNanos: -1 (expected: >= 0)");
        assertThat(host.inFlight()).isEqualTo(1);
    }

    @Test
    void toStringNamesTheUriAndAnyWeight() {
        assertThat(host).hasToString("http://origin-a:8080 weight 2");
        assertThat(Upstream.of(ORIGIN)).hasToString("http://origin-a:8080");
    }
}
