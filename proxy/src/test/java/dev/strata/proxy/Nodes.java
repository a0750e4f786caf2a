package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.CacheConfig;
import dev.strata.config.EdgeConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import dev.strata.config.UpstreamConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Proxy nodes for integration tests: started on 127.0.0.1 with OS-chosen ports and a clock the test
 * moves by hand, and stopped last-started first. Closing also checks that no Undertow I/O thread
 * blocked meanwhile ({@link UndertowIoThreads}).
 */
final class Nodes implements AutoCloseable {
    /** The clock of every node started here; tests advance it. */
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    private final List<AutoCloseable> started = new ArrayList<>();

    /** An edge named {@code edge-test} in front of {@code upstream}, for any host. */
    ProxyNode edge(Path cacheDir, URI upstream) {
        return start("edge", "edge-test", cacheDir, Router.forEdge(withSites(List.of(upstream))));
    }

    ProxyNode start(String role, String name, Path cacheDir, Router router) {
        return start(role, name, cacheDir, router, LimitsConfig.defaults());
    }

    ProxyNode start(String role, String name, Path cacheDir, Router router, LimitsConfig limits) {
        return start(role, name, cacheDir, router, limits, 0);
    }

    /** A node on {@code port}, 0 for one the OS picks (a test that restarts a node on its port). */
    ProxyNode start(String role, String name, Path cacheDir, Router router, LimitsConfig limits, int port) {
        return start(role, name, cacheDir, router, limits, port, List.of());
    }

    /** A node that follows the purge log of {@code purgeApi}. */
    ProxyNode start(String role, String name, Path cacheDir, Router router, URI purgeApi) {
        return start(role, name, cacheDir, router, LimitsConfig.defaults(), 0, List.of(purgeApi));
    }

    private ProxyNode start(
            String role, String name, Path cacheDir, Router router, LimitsConfig limits, int port, List<URI> purgeApi) {
        return track(ProxyNode.start(spec(role, name, cacheDir, router, limits, port, purgeApi)));
    }

    /**
     * A node with an admin listener on 127.0.0.1 (OS-chosen port) that follows the purge log of
     * {@code purgeApi} (none when empty).
     */
    ProxyNode startWithAdmin(String role, String name, Path cacheDir, Router router, List<URI> purgeApi) {
        return track(ProxyNode.start(spec(role, name, cacheDir, router, LimitsConfig.defaults(), 0, purgeApi)
                .withAdmin(ListenAddress.of("127.0.0.1", 0))));
    }

    /** A node whose spec {@code tweak} changes (its access log, say) before it starts. */
    ProxyNode start(String role, String name, Path cacheDir, Router router, UnaryOperator<ProxyNode.Spec> tweak) {
        return track(ProxyNode.start(
                tweak.apply(spec(role, name, cacheDir, router, LimitsConfig.defaults(), 0, List.of()))));
    }

    private ProxyNode.Spec spec(
            String role, String name, Path cacheDir, Router router, LimitsConfig limits, int port, List<URI> purgeApi) {
        return new ProxyNode.Spec(
                role,
                name,
                ListenAddress.of("127.0.0.1", port),
                CacheConfig.defaults(cacheDir),
                limits,
                UpstreamConfig.defaults(),
                router,
                clock,
                purgeApi);
    }

    /** Closes {@code closeable} with the nodes. */
    <T extends AutoCloseable> T track(T closeable) {
        started.add(closeable);
        return closeable;
    }

    /** Stops {@code node} now (a test that restarts it). */
    void stop(ProxyNode node) {
        started.remove(node);
        node.close();
    }

    /**
     * Waits until {@code node}'s request meters have counted {@code requests} requests. A node
     * records a request when its exchange completes, just after the response's last byte has left,
     * so a client that reads the metrics right after its response can come first.
     */
    static void awaitRecorded(ProxyNode node, long requests) {
        awaitRecorded(node, null, requests);
    }

    /** Like {@link #awaitRecorded(ProxyNode, long)}, counting only the requests of one status tag. */
    static void awaitRecorded(ProxyNode node, @Nullable String status, long requests) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Search timers = node.metrics().registry().find("strata.requests");
            return (status == null ? timers : timers.tag("status", status))
                            .timers().stream().mapToLong(Timer::count).sum()
                    >= requests;
        });
    }

    /** The defaults with one site for any host in front of {@code origins}. */
    static StrataConfig withSites(List<URI> origins) {
        return withSite(SiteConfig.anyHost(origins));
    }

    /** The defaults with {@code shields} as the edge's shields, and no sites. */
    static StrataConfig withShields(List<URI> shields) {
        EdgeConfig d = StrataConfig.defaults().edge();
        return StrataConfig.defaults()
                .withEdge(new EdgeConfig(d.listen(), shields, d.cache(), d.limits(), d.upstream()));
    }

    /** The defaults with {@code site} as the only site. */
    static StrataConfig withSite(SiteConfig site) {
        return StrataConfig.defaults().withSites(List.of(site));
    }

    @Override
    public void close() throws Exception {
        assertThat(UndertowIoThreads.violations())
                .as("blocking calls on I/O threads")
                .isEmpty();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
