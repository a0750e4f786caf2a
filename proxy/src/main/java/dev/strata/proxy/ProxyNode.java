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
import dev.strata.config.AccessLogConfig;
import dev.strata.config.AdminConfig;
import dev.strata.config.CacheConfig;
import dev.strata.config.CompressionConfig;
import dev.strata.config.Durations;
import dev.strata.config.EdgeConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.NodeConfig;
import dev.strata.config.ShieldConfig;
import dev.strata.config.StrataConfig;
import dev.strata.config.UpstreamConfig;
import dev.strata.proxy.accesslog.AccessLog;
import dev.strata.proxy.accesslog.AccessLogFormat;
import dev.strata.proxy.compress.CompressionPolicy;
import dev.strata.proxy.compress.Compressor;
import dev.strata.purge.PurgeFollower;
import dev.strata.upstream.HealthChecker;
import dev.strata.upstream.UpstreamClient;
import dev.strata.upstream.UpstreamPool;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Option;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A running caching proxy node (an edge or a shield): an Undertow listener, its two-tier cache, the
 * bounded disk executor and the upstream client, started together and stopped gracefully.
 *
 * <p>The handler chain is request id (then {@code Server-Timing} and the access log, when
 * configured) → drain → node health ({@value dev.strata.config.HealthCheckConfig#NODE_HEALTH_PATH},
 * answered by the node itself) → request metrics → admission → on an edge, WAF and rate limits ({@link
 * RequestFilters}) → lookup (memory on the I/O thread, disk on the disk executor) → fetch (async upstream). The node's {@link HealthChecker} checks the router's
 * {@linkplain Router#pools() pools} while it runs. {@link #close()} stops accepting (the listening
 * socket closes, so new connections are refused), lets in-flight requests finish up to the drain
 * timeout, then closes the connections left, the upstream client and RocksDB cleanly.
 *
 * <p>A node started with a {@link ReloadSource} reloads its configuration on {@link #reload()} (and
 * {@code POST /reload} on its admin listener): routes, limits, upstream settings and the drain
 * timeout, and an edge's WAF and rate limits are swapped atomically while it serves ({@link Reloader}; docs/adr/0010-reload-and-drain.md).
 *
 * <p>Each node has its own meters ({@link NodeMetrics}); with an admin listener they are served at
 * {@code /metrics}, next to {@code /status} ({@link StatusPage}).
 *
 * <p>A node given a purge API ({@code node.purge-api}) applies the purges it missed while it was
 * down before it starts listening (up to {@link #CATCH_UP_TIMEOUT}; then it serves anyway and
 * keeps trying), then follows the purge log on a thread of its own ({@link PurgeFollower}). An
 * edge names its applied sequence on every fill; a shield holds a fill until it has applied as
 * much ({@link PurgeSeqGate}; docs/adr/0007-purge-log-delivery.md).
 */
public final class ProxyNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyNode.class);
    /** How long a stopping node waits for the disk work already queued before it closes RocksDB. */
    private static final Duration DISK_WORK_DEADLINE = Duration.ofSeconds(30);
    /** How long a stopping node waits for its listener's threads once it closed their connections. */
    private static final Duration WORKER_STOP_DEADLINE = Duration.ofSeconds(10);

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
     * @param admin where the admin listener listens; null for none
     * @param drainTimeout how long {@link #close()} lets requests in flight finish
     * @param ioThreads the listener's I/O threads; 0 for one per CPU the process may use
     * @param accessLog the access log (see {@link AccessLogConfig#enabled()})
     * @param serverTiming whether responses carry {@code Server-Timing}
     * @param compression how an edge compresses responses ({@link CompressionPolicy#off()} for a
     *     shield, which never does)
     * @param filters an edge's WAF and rate limits ({@link RequestFilters#OFF} for none)
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
            List<URI> purgeApi,
            @Nullable ListenAddress admin,
            Duration drainTimeout,
            int ioThreads,
            AccessLogConfig accessLog,
            boolean serverTiming,
            CompressionPolicy compression,
            RequestFilters filters) {
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
            requireNonNull(drainTimeout, "drainTimeout");
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout: " + drainTimeout + " (expected: >= 0)");
            }
            requireNonNull(accessLog, "accessLog");
            requireNonNull(compression, "compression");
            requireNonNull(filters, "filters");
        }

        /**
         * A node that does not compress (turn it on with {@link #withCompression}) and has no WAF or
         * rate limits.
         */
        public Spec(
                String role,
                String name,
                ListenAddress listen,
                CacheConfig cache,
                LimitsConfig limits,
                UpstreamConfig upstream,
                Router router,
                Clock clock,
                List<URI> purgeApi,
                @Nullable ListenAddress admin,
                Duration drainTimeout,
                int ioThreads,
                AccessLogConfig accessLog,
                boolean serverTiming) {
            this(
                    role,
                    name,
                    listen,
                    cache,
                    limits,
                    upstream,
                    router,
                    clock,
                    purgeApi,
                    admin,
                    drainTimeout,
                    ioThreads,
                    accessLog,
                    serverTiming,
                    CompressionPolicy.off(),
                    RequestFilters.OFF);
        }

        /** A node without an admin listener. */
        public Spec(
                String role,
                String name,
                ListenAddress listen,
                CacheConfig cache,
                LimitsConfig limits,
                UpstreamConfig upstream,
                Router router,
                Clock clock,
                List<URI> purgeApi) {
            this(
                    role,
                    name,
                    listen,
                    cache,
                    limits,
                    upstream,
                    router,
                    clock,
                    purgeApi,
                    null,
                    NodeConfig.DEFAULT_DRAIN_TIMEOUT,
                    0,
                    AccessLogConfig.defaults().withEnabled(false),
                    false);
        }

        /**
         * An edge as {@code config} describes it: the {@code edge} section, its shields or, without
         * shields, its sites' origins ({@link Router#forEdge}), the node's name, purge API and drain
         * timeout, and the admin listener when enabled.
         *
         * @throws dev.strata.config.ConfigException when there is nothing to fetch from
         */
        public static Spec forEdge(StrataConfig config, Clock clock) {
            EdgeConfig edge = config.edge();
            return of(
                            "edge",
                            config,
                            edge.listen(),
                            edge.cache(),
                            edge.limits(),
                            edge.upstream(),
                            Router.forEdge(config),
                            clock,
                            RequestFilters.of(config, clock))
                    .withCompression(edge.compression());
        }

        /**
         * A shield as {@code config} describes it: the {@code shield} section in front of its sites'
         * origins ({@link Router#forShield}), with the default limits, the node's name, purge API
         * and drain timeout, and the admin listener when enabled; no WAF or rate limits (shields
         * trust their edges).
         *
         * @throws dev.strata.config.ConfigException when no site with origins is configured
         */
        public static Spec forShield(StrataConfig config, Clock clock) {
            ShieldConfig shield = config.shield();
            return of(
                    "shield",
                    config,
                    shield.listen(),
                    shield.cache(),
                    LimitsConfig.defaults(),
                    shield.upstream(),
                    Router.forShield(config),
                    clock,
                    RequestFilters.OFF);
        }

        private static Spec of(
                String role,
                StrataConfig config,
                ListenAddress listen,
                CacheConfig cache,
                LimitsConfig limits,
                UpstreamConfig upstream,
                Router router,
                Clock clock,
                RequestFilters filters) {
            AdminConfig admin = config.admin();
            return new Spec(
                    role,
                    config.node().name(),
                    listen,
                    cache,
                    limits,
                    upstream,
                    router,
                    clock,
                    config.node().purgeApi(),
                    admin.enabled() ? admin.listen() : null,
                    config.node().drainTimeout(),
                    config.node().ioThreads(),
                    config.accessLog(),
                    config.serverTiming().enabled(),
                    CompressionPolicy.off(),
                    filters);
        }

        /** This spec with an admin listener on {@code address}. */
        public Spec withAdmin(ListenAddress address) {
            return with(address, drainTimeout, ioThreads, accessLog, serverTiming);
        }

        /** This spec with another drain timeout. */
        public Spec withDrainTimeout(Duration timeout) {
            return with(admin, timeout, ioThreads, accessLog, serverTiming);
        }

        /** This spec with {@code threads} I/O threads (0: one per CPU). */
        Spec withIoThreads(int threads) {
            return with(admin, drainTimeout, threads, accessLog, serverTiming);
        }

        /** This spec with {@code config} as its access log (on or off, as the config says). */
        public Spec withAccessLog(AccessLogConfig config) {
            return with(admin, drainTimeout, ioThreads, config, serverTiming);
        }

        /** This spec with {@code Server-Timing} on or off. */
        public Spec withServerTiming(boolean on) {
            return with(admin, drainTimeout, ioThreads, accessLog, on);
        }

        /**
         * This spec compressing responses as {@code config} says (an edge; a shield never compresses,
         * whatever this says: edges ask it for the identity).
         */
        public Spec withCompression(CompressionConfig config) {
            return with(admin, drainTimeout, ioThreads, accessLog, serverTiming, CompressionPolicy.of(config));
        }

        private Spec with(
                @Nullable ListenAddress newAdmin,
                Duration newDrainTimeout,
                int newIoThreads,
                AccessLogConfig newAccessLog,
                boolean newServerTiming) {
            return with(newAdmin, newDrainTimeout, newIoThreads, newAccessLog, newServerTiming, compression);
        }

        private Spec with(
                @Nullable ListenAddress newAdmin,
                Duration newDrainTimeout,
                int newIoThreads,
                AccessLogConfig newAccessLog,
                boolean newServerTiming,
                CompressionPolicy newCompression) {
            return new Spec(
                    role,
                    name,
                    listen,
                    cache,
                    limits,
                    upstream,
                    router,
                    clock,
                    purgeApi,
                    newAdmin,
                    newDrainTimeout,
                    newIoThreads,
                    newAccessLog,
                    newServerTiming,
                    newCompression,
                    filters);
        }

        /**
         * This spec with what a reload changes taken from {@code next}: limits, upstream settings, the
         * drain timeout, compression, the WAF and rate limits (keeping the buckets when the rate
         * limits stayed), and {@code router}; the rest (what only a restart changes) as it is.
         */
        Spec reloaded(Spec next, Router newRouter) {
            return new Spec(
                    role,
                    name,
                    listen,
                    cache,
                    next.limits(),
                    next.upstream(),
                    newRouter,
                    clock,
                    purgeApi,
                    admin,
                    next.drainTimeout(),
                    ioThreads,
                    accessLog,
                    serverTiming,
                    next.compression(),
                    next.filters().keeping(filters));
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

    /** As started; {@link #settings} holds what a reload changed since. */
    private final Spec spec;
    /** The spec requests read now, swapped whole by {@link #reconfigure}. */
    private final LiveSpec settings;

    private final TieredCache cache;
    private final RequestCollapser collapser;
    private final DiskLanes diskExecutor;
    private final UpstreamClient client;
    private final HealthChecker healthChecker;
    private final @Nullable PurgeFollower follower;
    private final DrainHandler drain;
    private final XnioWorker worker;
    private final Undertow undertow;
    private final @Nullable AccessLog accessLog;
    private final URI uri;
    private final NodeMetrics metrics;
    private volatile @Nullable AdminListener admin;
    private volatile @Nullable Reloader reloader;
    /** An edge's compression pool, stopped with the node; null on a shield. */
    private volatile @Nullable Compression compression;

    private ProxyNode(
            Spec spec,
            LiveSpec settings,
            TieredCache cache,
            RequestCollapser collapser,
            DiskLanes diskExecutor,
            UpstreamClient client,
            HealthChecker healthChecker,
            @Nullable PurgeFollower follower,
            DrainHandler drain,
            XnioWorker worker,
            Undertow undertow,
            NodeMetrics metrics,
            @Nullable AccessLog accessLog) {
        this.spec = spec;
        this.settings = settings;
        this.cache = cache;
        this.collapser = collapser;
        this.diskExecutor = diskExecutor;
        this.client = client;
        this.healthChecker = healthChecker;
        this.follower = follower;
        this.drain = drain;
        this.worker = worker;
        this.undertow = undertow;
        this.metrics = metrics;
        this.accessLog = accessLog;
        InetSocketAddress bound =
                (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        this.uri = uriOf(spec.listen().host(), bound.getPort());
    }

    /** {@code http://HOST:PORT}, with an IPv6 host in brackets. */
    static URI uriOf(String host, int port) {
        return URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
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
        return start(spec, null);
    }

    /**
     * Opens the cache and starts listening, like {@link #start(Spec)}, as a node that can {@link
     * #reload()} its configuration from {@code source} (null for none).
     */
    public static ProxyNode start(Spec spec, @Nullable ReloadSource source) {
        LiveSpec settings = new LiveSpec(spec);
        NodeMetrics metrics =
                new NodeMetrics(spec.role(), spec.name(), spec.router().siteNames());
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
                        spec.purgeApi().get(0),
                        spec.name(),
                        new CachePurges(cache, settings::router, spec.clock(), metrics.purges()));
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
        // Edges compress for their clients; shields never do (edges ask them for the identity).
        Compression compression = edge
                ? new Compression(
                        spec.role() + "-" + spec.name(),
                        () -> settings.get().compression(),
                        Compressor.available(),
                        cache,
                        diskExecutor,
                        metrics.compression())
                : null;
        Responses responses = new Responses(spec.name(), edge, metrics.rejections(), compression);
        CacheWriter writer = new CacheWriter(cache, diskExecutor);
        RequestCollapser collapser =
                new RequestCollapser(spec.cache().collapse().hitForPass(), System::nanoTime);
        long maxObjectBytes = spec.cache().maxObjectSize().bytes();
        HttpHandler lookup = new LookupHandler(
                settings::router,
                cache,
                diskExecutor,
                spec.clock(),
                responses,
                new Revalidator(
                        client,
                        writer,
                        maxObjectBytes,
                        () -> edge && settings.get().compression().enabled()),
                collapser,
                spec.cache().collapse(),
                new FetchHandler(writer, client, maxObjectBytes, spec.clock(), responses, () -> settings.limits()
                        .maxBodySize()));
        if (follower != null && !edge) {
            lookup = new PurgeSeqGate(follower, PURGE_SEQ_WAIT, responses, lookup);
        }
        HttpHandler admitted = lookup;
        if (edge) {
            lookup = new IdentityFillHandler(() -> settings.get().compression(), lookup);
            // Always in an edge's chain, since a reload may turn them on; off, each costs a volatile read.
            FilterStep step = new FilterStep(
                    settings::filters, responses, new RefusalLog(spec.role() + " " + spec.name(), System::nanoTime));
            admitted = new WafHandler(step, metrics.waf(), new RateLimitHandler(step, metrics.rateLimits(), lookup));
            metrics.bindFilters(spec.filters());
        }
        HttpHandler chain = new NodeHealthHandler(
                spec.name(), metrics.requests().recording(new AdmissionHandler(settings::limits, responses, admitted)));
        DrainHandler drain = new DrainHandler(responses, chain);
        XnioWorker worker = worker(
                spec.role() + "-" + spec.name(),
                // One per CPU, like nginx's worker_processes auto; Undertow's own default is at least
                // two, which on one CPU only makes the I/O threads take turns.
                spec.ioThreads() > 0 ? spec.ioThreads() : Runtime.getRuntime().availableProcessors());
        AccessLog accessLog = openAccessLog(spec);
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(spec.listen().port(), spec.listen().host())
                .setWorker(worker)
                .setHandler(observed(spec, accessLog, drain));
        OptionMap options = serverOptions(spec.limits());
        for (Option<?> option : options) {
            setServerOption(builder, options, option);
        }
        Undertow undertow = builder.build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            if (follower != null) {
                follower.close();
            }
            worker.shutdownNow();
            client.close();
            if (compression != null) {
                compression.close();
            }
            diskExecutor.shutdownNow();
            cache.close();
            if (accessLog != null) {
                accessLog.close();
            }
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
                spec,
                settings,
                cache,
                collapser,
                diskExecutor,
                client,
                healthChecker,
                follower,
                drain,
                worker,
                undertow,
                metrics,
                accessLog);
        node.compression = compression;
        Reloader reloader = source == null ? null : new Reloader(node, spec.role(), source);
        node.reloader = reloader;
        Readiness readiness = new Readiness(drain::isDraining, cache, follower, settings::pools);
        NodeParts parts = new NodeParts(cache, collapser, settings::pools, follower, readiness, settings::filters);
        metrics.bind(parts);
        if (accessLog != null) {
            metrics.bindAccessLog(accessLog);
        }
        ListenAddress adminAddress = spec.admin();
        if (adminAddress != null) {
            AdminListener listener;
            try {
                listener = AdminListener.start(
                        adminAddress,
                        readiness,
                        routes(reloader, new StatusPage(spec.role(), spec.name(), spec.clock(), parts, metrics)));
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
            node.admin = listener;
            log.info("{} {} admin on {}", spec.role(), spec.name(), listener.uri());
        }
        log.info(
                "{} {} listening on {} (cache {}, access log {})",
                spec.role(),
                spec.name(),
                node.uri,
                spec.cache().dir(),
                accessLog == null ? "off" : accessLog.path());
        return node;
    }

    /** The admin listener's routes beyond health: the status page's and, when reloadable, {@code /reload}. */
    private static Map<String, HttpHandler> routes(@Nullable Reloader reloader, StatusPage status) {
        Map<String, HttpHandler> routes = new LinkedHashMap<>(status.routes());
        if (reloader != null) {
            routes.put("/reload", reloader.handler());
        }
        return routes;
    }

    /**
     * The threads of the public listener, ours rather than Undertow's: {@link Undertow#stop()} then
     * closes only the listening socket, and the connections open go on until the drain ends. With
     * {@code ioThreads} I/O threads and eight task threads each, as Undertow sizes its own; the
     * threads are named {@code ROLE-NAME I/O-N} and {@code ROLE-NAME task-N}.
     */
    private static XnioWorker worker(String name, int ioThreads) {
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader())
                    .createWorker(OptionMap.builder()
                            .set(Options.WORKER_NAME, name)
                            .set(Options.WORKER_IO_THREADS, ioThreads)
                            .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                            .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                            .set(Options.WORKER_TASK_CORE_THREADS, 8 * ioThreads)
                            .set(Options.WORKER_TASK_MAX_THREADS, 8 * ioThreads)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.CORK, true)
                            .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the listener's threads", e);
        }
    }

    /**
     * Every Undertow option of the public listener: set at start, and set again whole when a reload
     * changes the limits (new connections parse with them; {@link AdmissionHandler} applies the new
     * limits to every request at once).
     */
    private static OptionMap serverOptions(LimitsConfig limits) {
        return OptionMap.builder()
                .set(UndertowOptions.BUFFER_PIPELINED_DATA, true) // Undertow's default, kept in a replaced map
                // Twice the configured limits, so AdmissionHandler answers 431 naming the limit;
                // beyond that Undertow's parser answers 400.
                .set(UndertowOptions.MAX_HEADER_SIZE, (int)
                        Math.min(Integer.MAX_VALUE, 2 * limits.maxHeaderSize().bytes()))
                .set(UndertowOptions.MAX_HEADERS, Math.max(200, 2 * limits.maxHeaders()))
                .set(UndertowOptions.MAX_ENTITY_SIZE, limits.maxBodySize().bytes())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, true) // request latency (NodeMetrics)
                .getMap();
    }

    private static <T> void setServerOption(Undertow.Builder builder, OptionMap options, Option<T> option) {
        builder.setServerOption(option, options.get(option));
    }

    /**
     * Reads the configuration again from the {@link ReloadSource} the node started with and applies
     * it, or rejects it and keeps the running one; thread-safe, one reload at a time. Blocks (it reads
     * a file): never call it on an I/O thread.
     *
     * @return what changed, or why nothing did (also for a node started without a source)
     */
    public ReloadResult reload() {
        Reloader current = reloader;
        if (current == null) {
            return new ReloadResult.Rejected(
                    spec.role() + " " + spec.name() + " was started without a configuration to read again");
        }
        return current.reload();
    }

    /**
     * Applies what a reload changes from {@code next} (see {@link Spec#reloaded}): one atomic swap
     * that the next requests read, each then served to its end under the spec it read. Pools whose
     * settings stayed are kept with their hosts' state ({@link Router#keeping}); the health checks
     * move from the pools removed to the pools added. Called by {@link Reloader}, one at a time.
     */
    void reconfigure(Spec next) {
        Spec running = settings.get();
        Router router = next.router().keeping(running.router());
        settings.set(running.reloaded(next, router));
        Set<UpstreamPool> watched = healthChecker.watched();
        Set<UpstreamPool> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (UpstreamPool pool : router.pools()) {
            kept.add(pool);
            if (!watched.contains(pool)) {
                healthChecker.watch(pool);
            }
        }
        for (UpstreamPool pool : running.router().pools()) {
            if (!kept.contains(pool)) {
                healthChecker.unwatch(pool);
            }
        }
        metrics.bindUpstreams(router.pools());
        metrics.bindFilters(settings.filters());
        client.reconfigure(next.upstream());
        if (!next.limits().equals(running.limits()) && !drain.isDraining()) { // a stopped listener has no options
            undertow.getListenerInfo().get(0).setServerOptions(serverOptions(next.limits()));
        }
    }

    /** Whether the node is stopping: it refuses new requests and lets those in flight finish. */
    boolean isDraining() {
        return drain.isDraining();
    }

    /** The node's access log, or null when it has none; its writer runs from now on. */
    private static @Nullable AccessLog openAccessLog(Spec spec) {
        AccessLogConfig config = spec.accessLog();
        if (!config.enabled()) {
            return null;
        }
        return AccessLog.start(
                config.pathFor(spec.role(), spec.name()),
                AccessLogFormat.of(config.format(), spec.clock().getZone()),
                config.maxSize().bytes(),
                config.maxFiles(),
                "access-log-" + spec.role() + "-" + spec.name());
    }

    /**
     * What runs before everything else: the request id, then {@code Server-Timing} and the access
     * log where configured, around {@code inner}; so a request refused while draining is logged too.
     */
    private static HttpHandler observed(Spec spec, @Nullable AccessLog accessLog, HttpHandler inner) {
        HttpHandler handler =
                accessLog == null ? inner : new AccessLogHandler(accessLog, spec.name(), spec.clock(), inner);
        return new RequestIdHandler(spec.serverTiming() ? new ServerTimingHandler(handler) : handler);
    }

    /** The URL clients use, with the real port when the configured one was 0. */
    public URI uri() {
        return uri;
    }

    /** The admin listener's URL, when the node has one. */
    public Optional<URI> adminUri() {
        AdminListener listener = admin;
        return listener == null ? Optional.empty() : Optional.of(listener.uri());
    }

    /** The listener's I/O thread count. */
    int ioThreads() {
        return undertow.getWorker().getIoThreadCount();
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
        return settings.pools();
    }

    /** The node's cache, for tests and admin endpoints. */
    public TieredCache cache() {
        return cache;
    }

    /** The last purge-log sequence applied to this node's cache (0 for none). */
    public long purgeLogSeq() {
        return cache.purgeLogSeq();
    }

    /** The node's meters, for tests. */
    NodeMetrics metrics() {
        return metrics;
    }

    /** The node's access log, for its counters ({@link AccessLog#written()}, {@link AccessLog#dropped()}). */
    public Optional<AccessLog> accessLog() {
        return Optional.ofNullable(accessLog);
    }

    /** The node's request collapsing, for its counters. */
    public RequestCollapser collapser() {
        return collapser;
    }

    /**
     * Stops gracefully: closes the listening socket (new connections are refused) and answers 503
     * with {@code Connection: close} to requests on connections already open, lets the requests in
     * flight finish for up to the drain timeout ({@code node.drain-timeout}), then closes the
     * connections left, the upstream client, the purge follower and the cache (RocksDB closed
     * cleanly). The admin listener answers to the end, {@code /readyz} with 503 {@code draining}.
     * Idempotent: a second call returns at once.
     */
    @Override
    public void close() {
        if (!drain.begin()) {
            return;
        }
        Duration timeout = settings.get().drainTimeout();
        log.info(
                "{} {} draining: refusing new connections, up to {} for requests in flight",
                spec.role(),
                spec.name(),
                Durations.format(timeout));
        healthChecker.close(); // a stopping node has no use for its next hop's health
        undertow.stop(); // our own worker: only the listening socket closes
        boolean diskIdle = false;
        try {
            if (!drain.awaitIdle(timeout)) {
                log.warn(
                        "{} {}: requests still in flight after {}; closing their connections",
                        spec.role(),
                        spec.name(),
                        Durations.format(timeout));
            }
            worker.shutdownNow(); // closes the connections left: idle keep-alive ones, and those overdue
            if (!worker.awaitTermination(WORKER_STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "{} {}: listener threads still running after {}",
                        spec.role(),
                        spec.name(),
                        WORKER_STOP_DEADLINE);
            }
            client.close();
            Compression encoder = compression;
            if (encoder != null) {
                encoder.close(); // before the disk lanes: its work ends in disk writes
            }
            if (follower != null) {
                follower.close(); // before the cache closes: it writes markers
            }
            diskIdle = diskExecutor.shutdown(DISK_WORK_DEADLINE);
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
        if (accessLog != null) {
            accessLog.close(); // after the listener: every request it answered is in the log
        }
        AdminListener listener = admin;
        if (listener != null) {
            listener.close(); // last: probes see the node draining until it is gone
        }
        metrics.close();
        log.info("{} {} stopped", spec.role(), spec.name());
    }
}
