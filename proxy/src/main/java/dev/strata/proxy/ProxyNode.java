package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.store.CacheStorageException;
import dev.strata.cache.store.CacheTier;
import dev.strata.cache.store.DiskTier;
import dev.strata.cache.store.HeaderList;
import dev.strata.cache.store.MemoryTier;
import dev.strata.cache.store.TieredCache;
import dev.strata.cache.store.UnavailableTier;
import dev.strata.config.CacheConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.UpstreamConfig;
import dev.strata.purge.PurgeFollower;
import dev.strata.upstream.HealthChecker;
import dev.strata.upstream.UpstreamClient;
import dev.strata.upstream.UpstreamPool;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running caching proxy node (an edge or a shield): an Undertow listener, its two-tier cache, the
 * bounded disk executor and the upstream client, started together and stopped gracefully.
 *
 * <p>The handler chain is node health ({@value dev.strata.config.HealthCheckConfig#NODE_HEALTH_PATH},
 * answered by the node itself) → admission → lookup (memory on the I/O thread, disk on the disk
 * executor) → fetch (async upstream). The node's {@link HealthChecker} checks the router's
 * {@linkplain Router#pools() pools} while it runs. {@link #close()} stops accepting, lets in-flight
 * requests finish up to a deadline, then closes the health checks, the upstream client and RocksDB
 * cleanly.
 *
 * <p>A node given a purge API ({@code node.purge-api}) applies the purges it missed while it was
 * down before it starts listening (up to {@link #CATCH_UP_TIMEOUT}; then it serves anyway and
 * keeps trying), then follows the purge log on a thread of its own ({@link PurgeFollower}). An
 * edge names its applied sequence on every fill; a shield holds a fill until it has applied as
 * much ({@link PurgeSeqGate}; docs/adr/0007-purge-log-delivery.md).
 */
public final class ProxyNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyNode.class);
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(30);
    private static final int DISK_QUEUE_PER_LANE = 1024;
    /** How long a starting node tries to apply the purges it missed before it serves anyway. */
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(10);
    /** How long a shield holds an edge's fill for its own purges to catch up (then 503). */
    static final Duration PURGE_SEQ_WAIT = Duration.ofSeconds(5);

    /**
     * What a node needs to start.
     *
     * @param role {@code edge} or {@code shield}, for logs and thread names
     * @param name the node's name, sent in {@code X-Served-By} and {@code Via}
     * @param listen where clients connect
     * @param cache the cache tiers
     * @param limits admission limits
     * @param upstream client settings towards the next hop
     * @param router where each host's requests go
     * @param clock the clock for ages and freshness
     * @param purgeApi the purge API whose log the node follows (at most one); empty for none
     */
    public record Spec(
            String role,
            String name,
            ListenAddress listen,
            CacheConfig cache,
            LimitsConfig limits,
            UpstreamConfig upstream,
            Router router,
            Clock clock,
            List<URI> purgeApi) {
        public Spec {
            requireNonNull(role, "role");
            requireNonNull(name, "name");
            requireNonNull(listen, "listen");
            requireNonNull(cache, "cache");
            requireNonNull(limits, "limits");
            requireNonNull(upstream, "upstream");
            requireNonNull(router, "router");
            requireNonNull(clock, "clock");
            purgeApi = List.copyOf(purgeApi);
        }

        /** A node that follows no purge API. */
        public Spec(
                String role,
                String name,
                ListenAddress listen,
                CacheConfig cache,
                LimitsConfig limits,
                UpstreamConfig upstream,
                Router router,
                Clock clock) {
            this(role, name, listen, cache, limits, upstream, router, clock, List.of());
        }
    }

    private final Spec spec;
    private final TieredCache cache;
    private final RequestCollapser collapser;
    private final DiskLanes diskExecutor;
    private final UpstreamClient client;
    private final HealthChecker healthChecker;
    private final @Nullable PurgeFollower follower;
    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private final URI uri;

    private ProxyNode(
            Spec spec,
            TieredCache cache,
            RequestCollapser collapser,
            DiskLanes diskExecutor,
            UpstreamClient client,
            HealthChecker healthChecker,
            @Nullable PurgeFollower follower,
            GracefulShutdownHandler graceful,
            Undertow undertow) {
        this.spec = spec;
        this.cache = cache;
        this.collapser = collapser;
        this.diskExecutor = diskExecutor;
        this.client = client;
        this.healthChecker = healthChecker;
        this.follower = follower;
        this.graceful = graceful;
        this.undertow = undertow;
        InetSocketAddress bound =
                (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        String host = spec.listen().host();
        this.uri = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort());
    }

    /**
     * The node's disk tier, or — when its directory cannot be used even after quarantine (a full
     * disk, no permission, no native library) — an {@link UnavailableTier}, with one log line: the
     * node then serves from memory and upstream rather than not at all. A directory in use by
     * another node is still refused.
     */
    private static CacheTier openDisk(Spec spec) {
        try {
            return DiskTier.open(spec.cache().dir(), spec.cache().disk().bytes(), spec.clock());
        } catch (CacheStorageException e) {
            if (e.inUse()) {
                throw e;
            }
            log.error(
                    "{} {}: no disk tier, serving from memory and upstream only: {}",
                    spec.role(),
                    spec.name(),
                    e.getMessage());
            return new UnavailableTier(spec.cache().dir(), String.valueOf(e.getMessage()));
        }
    }

    /**
     * Opens the cache and starts listening.
     *
     * @throws dev.strata.cache.store.CacheStorageException when the cache directory is in use by
     *     another node; any other failure to open it leaves the node serving from memory and upstream
     * @throws IllegalStateException when the address cannot be bound, naming it and the cause
     */
    public static ProxyNode start(Spec spec) {
        TieredCache cache = new TieredCache(
                MemoryTier.create(spec.cache().memory().bytes()),
                openDisk(spec),
                spec.cache().maxMemoryObjectSize().bytes());
        DiskLanes diskExecutor = new DiskLanes(
                spec.role() + "-" + spec.name(),
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                DISK_QUEUE_PER_LANE);
        boolean edge = spec.role().equals("edge");
        PurgeFollower follower = spec.purgeApi().isEmpty()
                ? null
                : PurgeFollower.create(
                        spec.purgeApi().get(0), spec.name(), new CachePurges(cache, spec.router(), spec.clock()));
        if (follower != null && !follower.catchUp(CATCH_UP_TIMEOUT)) {
            log.warn(
                    "{} {}: could not catch up with the purge API {} in {} (unreachable, or a purge could not be"
                            + " applied: see above); serving without the purges missed meanwhile (applied up to {}),"
                            + " following the log and trying again",
                    spec.role(),
                    spec.name(),
                    spec.purgeApi().get(0),
                    CATCH_UP_TIMEOUT,
                    follower.appliedSeq());
        }
        UpstreamClient client;
        if (follower != null && edge) {
            // The edge's half of the ordering guarantee: its fills name the purges it applied.
            PurgeFollower following = follower;
            client = new UpstreamClient(
                    spec.upstream(),
                    spec.name(),
                    spec.clock(),
                    () -> HeaderList.of(PurgeSeqGate.HEADER, Long.toString(following.appliedSeq())));
        } else {
            client = new UpstreamClient(spec.upstream(), spec.name(), spec.clock());
        }
        Responses responses = new Responses(spec.name(), edge);
        CacheWriter writer = new CacheWriter(cache, diskExecutor);
        RequestCollapser collapser =
                new RequestCollapser(spec.cache().collapse().hitForPass(), System::nanoTime);
        long maxObjectBytes = spec.cache().maxObjectSize().bytes();
        HttpHandler lookup = new LookupHandler(
                spec.router(),
                cache,
                diskExecutor,
                spec.clock(),
                responses,
                new Revalidator(client, writer, maxObjectBytes),
                collapser,
                spec.cache().collapse(),
                new FetchHandler(
                        writer,
                        client,
                        maxObjectBytes,
                        spec.clock(),
                        responses,
                        spec.limits().maxBodySize()));
        if (follower != null && !edge) {
            lookup = new PurgeSeqGate(follower, PURGE_SEQ_WAIT, responses, lookup);
        }
        HttpHandler chain = new NodeHealthHandler(spec.name(), new AdmissionHandler(spec.limits(), responses, lookup));
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(chain);
        LimitsConfig limits = spec.limits();
        Undertow undertow = Undertow.builder()
                .addHttpListener(spec.listen().port(), spec.listen().host())
                // Twice the configured limits, so AdmissionHandler answers 431 naming the limit;
                // beyond that Undertow's parser answers 400.
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, (int)
                        Math.min(Integer.MAX_VALUE, 2 * limits.maxHeaderSize().bytes()))
                .setServerOption(UndertowOptions.MAX_HEADERS, Math.max(200, 2 * limits.maxHeaders()))
                .setServerOption(
                        UndertowOptions.MAX_ENTITY_SIZE, limits.maxBodySize().bytes())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setHandler(graceful)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            if (follower != null) {
                follower.close();
            }
            client.close();
            diskExecutor.shutdownNow();
            cache.close();
            throw new IllegalStateException(
                    "cannot listen on " + spec.listen() + ": "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e);
        }
        HealthChecker healthChecker = HealthChecker.start(spec.role() + "-" + spec.name());
        for (UpstreamPool pool : spec.router().pools()) {
            healthChecker.watch(pool);
        }
        if (follower != null) {
            follower.start();
        }
        ProxyNode node = new ProxyNode(
                spec, cache, collapser, diskExecutor, client, healthChecker, follower, graceful, undertow);
        log.info(
                "{} {} listening on {} (cache {})",
                spec.role(),
                spec.name(),
                node.uri,
                spec.cache().dir());
        return node;
    }

    /** The URL clients use, with the real port when the configured one was 0. */
    public URI uri() {
        return uri;
    }

    /** The port the node listens on. */
    public int port() {
        return uri.getPort();
    }

    /** The node's name. */
    public String name() {
        return spec.name();
    }

    /**
     * The node's upstream pools, for tests and metrics: each host's {@link
     * dev.strata.upstream.HealthState}, ejections and failed checks.
     */
    public List<UpstreamPool> pools() {
        return spec.router().pools();
    }

    /** The node's cache, for tests and admin endpoints. */
    public TieredCache cache() {
        return cache;
    }

    /** The last purge-log sequence applied to this node's cache (0 for none). */
    public long purgeLogSeq() {
        return cache.purgeLogSeq();
    }

    /** The node's request collapsing, for its counters. */
    public RequestCollapser collapser() {
        return collapser;
    }

    /**
     * Stops gracefully: refuses new requests, waits up to 30 s for in-flight ones, then closes the
     * listener, the upstream client and the cache (RocksDB closed cleanly).
     */
    @Override
    public void close() {
        healthChecker.close(); // a stopping node has no use for its next hop's health
        if (follower != null) {
            follower.close(); // before the cache closes: it writes markers
        }
        graceful.shutdown();
        boolean diskIdle = false;
        try {
            if (!graceful.awaitShutdown(DRAIN_DEADLINE.toMillis())) {
                log.warn("{} {}: requests still in flight after {}; closing", spec.role(), spec.name(), DRAIN_DEADLINE);
            }
            undertow.stop();
            client.close();
            diskIdle = diskExecutor.shutdown(DRAIN_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (diskIdle) {
                cache.close();
            } else {
                // Closing RocksDB under a running disk task would crash the JVM in native code; leave
                // it open for the process exit (its write-ahead log makes the next start whole).
                log.warn(
                        "{} {}: disk work still running; the cache is left to the process exit",
                        spec.role(),
                        spec.name());
            }
        }
        log.info("{} {} stopped", spec.role(), spec.name());
    }
}
