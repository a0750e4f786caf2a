package dev.strata.upstream;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.HealthCheckConfig;
import dev.strata.config.OutlierDetectionConfig;
import dev.strata.config.UpstreamConfig;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pools against real origins on 127.0.0.1: active checks mark hosts down and up, failing requests
 * eject a host and move its traffic, and a host that comes back starts slowly.
 */
class HealthCheckerIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final HealthCheckConfig FAST_CHECKS =
            new HealthCheckConfig(true, "/health", Duration.ofMillis(50), Duration.ofSeconds(1), 3, 2);
    private static final HealthCheckConfig NO_CHECKS = HealthCheckConfig.defaults();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final UpstreamClient client = track(new UpstreamClient(
            new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(5), 8), "it", Clock.systemUTC()));
    private final HealthChecker checker = track(HealthChecker.start("it"));

    private <T extends AutoCloseable> T track(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** An origin answering every path with its {@link #status}, counting requests (checks apart). */
    private final class Origin implements AutoCloseable {
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger healthStatus = new AtomicInteger(200);
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger checks = new AtomicInteger();
        final Undertow undertow;
        final URI uri;

        Origin() {
            undertow = Undertow.builder()
                    .setIoThreads(1)
                    .setWorkerThreads(2)
                    .addHttpListener(0, "127.0.0.1")
                    .setHandler(exchange -> {
                        if (exchange.getRequestPath().equals("/health")) {
                            checks.incrementAndGet();
                            exchange.setStatusCode(healthStatus.get());
                        } else {
                            requests.incrementAndGet();
                            exchange.setStatusCode(status.get());
                        }
                        exchange.getResponseSender().send("status " + exchange.getStatusCode());
                    })
                    .build();
            undertow.start();
            int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            uri = URI.create("http://127.0.0.1:" + port);
            track(this);
        }

        @Override
        public void close() {
            undertow.stop();
        }
    }

    private static URI deadHost() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private UpstreamPool pool(
            String balancer,
            HealthCheckConfig checks,
            OutlierDetectionConfig outliers,
            Duration slowStart,
            URI... hosts) {
        UpstreamPool pool = UpstreamPool.of(
                "it", balancer, Upstream.of(List.of(hosts)), checks, outliers, slowStart, Clock.systemUTC());
        checker.watch(pool);
        return pool;
    }

    private int get(UpstreamPool pool) throws Exception {
        UpstreamRequest request = new UpstreamRequest("GET", "www.example.com", "/a", HeaderList.of(), new byte[0]);
        return client.fetch(pool.order(Hosts.KEY, null), request, 1 << 20)
                .get(10, SECONDS)
                .status();
    }

    @Test
    void hostFailingItsHealthChecksIsMarkedDownAfterFallAndUpAfterRise() {
        Origin origin = new Origin();
        Origin other = new Origin();
        UpstreamPool pool = pool(
                "round-robin", FAST_CHECKS, OutlierDetectionConfig.defaults(), Duration.ZERO, origin.uri, other.uri);
        Upstream host = pool.upstreams().get(0);

        origin.healthStatus.set(500);
        await().atMost(PATIENCE).until(() -> host.health().status() == HealthState.Status.DOWN);
        assertThat(host.health().reason()).isEqualTo("3 health checks failed: status 500");
        assertThat(host.checksFailed()).isGreaterThanOrEqualTo(3);
        assertThat(pool.order(Hosts.KEY, null).get(0))
                .isEqualTo(pool.upstreams().get(1));

        origin.healthStatus.set(200);
        await().atMost(PATIENCE).until(() -> host.health().status() == HealthState.Status.UP);
        assertThat(host.health().reason()).isEqualTo("2 health checks passed");
        assertThat(pool.upstreams().get(1).health().status()).isEqualTo(HealthState.Status.UP);
    }

    @Test
    void anUnwatchedPoolIsNoLongerChecked() {
        Origin removed = new Origin();
        Origin kept = new Origin();
        UpstreamPool old =
                pool("round-robin", FAST_CHECKS, OutlierDetectionConfig.defaults(), Duration.ZERO, removed.uri);
        UpstreamPool current =
                pool("round-robin", FAST_CHECKS, OutlierDetectionConfig.defaults(), Duration.ZERO, kept.uri);
        await().atMost(PATIENCE).until(() -> removed.checks.get() >= 2);

        checker.unwatch(old);
        int keptAtUnwatch = kept.checks.get();
        // Two rounds later a check of the removed pool that was already on its way has arrived.
        await().atMost(PATIENCE).until(() -> kept.checks.get() >= keptAtUnwatch + 2);
        int removedChecks = removed.checks.get();
        await().atMost(PATIENCE).until(() -> kept.checks.get() >= keptAtUnwatch + 8);

        assertThat(removed.checks.get()).as("checks of the unwatched pool").isEqualTo(removedChecks);
        assertThat(checker.watched()).containsExactly(current);
    }

    @Test
    void hostRefusingConnectionsIsMarkedDownWithTheReason() throws Exception {
        Origin live = new Origin();
        UpstreamPool pool = pool(
                "round-robin", FAST_CHECKS, OutlierDetectionConfig.defaults(), Duration.ZERO, deadHost(), live.uri);

        await().atMost(PATIENCE).until(() -> pool.upstreams().get(0).health().status() == HealthState.Status.DOWN);

        assertThat(pool.upstreams().get(0).health().reason()).isEqualTo("3 health checks failed: connection refused");
        assertThat(pool.upstreams().get(1).health().status()).isEqualTo(HealthState.Status.UP);
    }

    @Test
    void originAnswering500IsEjectedItsTrafficMovesAndItComesBackSlowly() throws Exception {
        Origin healthy = new Origin();
        Origin failing = new Origin();
        failing.status.set(500);
        UpstreamPool pool = pool(
                "weighted-round-robin",
                NO_CHECKS,
                new OutlierDetectionConfig(3, Duration.ofMillis(500), Duration.ofSeconds(5), 50),
                Duration.ofSeconds(20),
                healthy.uri,
                failing.uri);
        Upstream failingHost = pool.upstreams().get(1);

        for (int i = 0; i < 40; i++) {
            assertThat(get(pool)).as("GETs fail over to the healthy origin").isEqualTo(200);
        }
        assertThat(failingHost.ejections()).isEqualTo(1);
        assertThat(failing.requests.get()).as("no requests once ejected").isEqualTo(3);
        assertThat(failingHost.health().reason()).isEqualTo("3 consecutive failures, the last: status 500");

        failing.status.set(200);
        await().atMost(PATIENCE).until(() -> failingHost.health().status() == HealthState.Status.UP);
        assertThat(failingHost.effectiveWeight()).as("slow start").isLessThan(0.5);

        int before = failing.requests.get();
        for (int i = 0; i < 50; i++) {
            assertThat(get(pool)).isEqualTo(200);
        }
        int share = failing.requests.get() - before;
        assertThat(share).as("a share well below half while it starts slowly").isBetween(1, 20);
    }

    @Test
    void neverEjectsMoreThanMaxEjectedPercent() throws Exception {
        Origin a = new Origin();
        Origin b = new Origin();
        Origin c = new Origin();
        for (Origin origin : List.of(a, b, c)) {
            origin.status.set(500);
        }
        UpstreamPool pool = pool(
                "round-robin",
                NO_CHECKS,
                new OutlierDetectionConfig(2, Duration.ofSeconds(30), Duration.ofSeconds(60), 34),
                Duration.ZERO,
                a.uri,
                b.uri,
                c.uri);

        for (int i = 0; i < 30; i++) {
            assertThat(get(pool)).as("the last 500 is relayed").isEqualTo(500);
        }

        assertThat(pool.health().stream().filter(s -> s.status() == HealthState.Status.EJECTED))
                .hasSize(1);
        assertThat(pool.ejections()).isEqualTo(1);
    }

    @Test
    void hostRefusingConnectionsIsFailedOverWithoutClientErrorsAndEjected() throws Exception {
        Origin live = new Origin();
        UpstreamPool pool =
                pool("round-robin", NO_CHECKS, OutlierDetectionConfig.defaults(), Duration.ZERO, deadHost(), live.uri);

        for (int i = 0; i < 30; i++) {
            assertThat(get(pool)).isEqualTo(200);
        }

        Upstream dead = pool.upstreams().get(0);
        assertThat(dead.health().status()).isEqualTo(HealthState.Status.EJECTED);
        assertThat(dead.health().reason()).isEqualTo("5 consecutive failures, the last: connection refused");
        assertThat(live.requests.get()).isEqualTo(30);
    }
}
