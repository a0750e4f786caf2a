package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.store.CacheTier;
import dev.strata.cache.store.DiskTier;
import dev.strata.cache.store.MemoryTier;
import dev.strata.cache.store.TierStats;
import dev.strata.cache.store.UnavailableTier;
import dev.strata.proxy.accesslog.AccessLog;
import dev.strata.purge.PurgeFollower;
import dev.strata.upstream.HealthState;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * One node's meters, in a registry of its own (several nodes share a JVM in the demo and in tests;
 * the global registry is never used), scraped as Prometheus text at {@code /metrics} on the admin
 * listener. Every meter carries the node's {@code role} and {@code node} name; other tags are few
 * and fixed by configuration (site, cache status, tier, pool, upstream host), never a URL or a key.
 * docs/observability.md lists every meter.
 *
 * <p>Requests ({@link RequestMeters}), refusals ({@link Rejections}; on an edge also {@link WafMeters}
 * and {@link RateLimitMeters}), purge apply times ({@link RecentPurges}) and an edge's compression
 * ({@link CompressionMeters}) are recorded as they happen; everything else is read when scraped, from the
 * counters the cache, the upstreams, the collapser and the purge follower keep anyway, so the
 * request path pays nothing for it. Reading the disk tier's RocksDB properties is a native call:
 * scrapes run on the admin listener's workers, never an I/O thread.
 */
final class NodeMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final RequestMeters requests;
    private final Rejections rejections;
    private final RecentPurges purges;
    private final CompressionMeters compression;
    private final @Nullable WafMeters waf;
    private final @Nullable RateLimitMeters rateLimits;

    /**
     * @param role {@code edge} or {@code shield}: the {@code role} tag
     * @param name the node's name: the {@code node} tag
     * @param sites every site its routes can name
     */
    NodeMetrics(String role, String name, List<String> sites) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("role", role, "node", name);
        requests = new RequestMeters(registry, sites);
        rejections = new Rejections(registry);
        purges = new RecentPurges(registry);
        compression = new CompressionMeters(registry);
        boolean edge = role.equals("edge"); // shields have no WAF or rate limits
        waf = edge ? new WafMeters(registry) : null;
        rateLimits = edge ? new RateLimitMeters(registry) : null;
        Gauge.builder("strata.node.info", () -> 1)
                .description("Always 1; the version tag names the build")
                .tag("version", BuildInfo.VERSION)
                .register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    RequestMeters requests() {
        return requests;
    }

    Rejections rejections() {
        return rejections;
    }

    RecentPurges purges() {
        return purges;
    }

    /** An edge's compression meters (always zero on a shield). */
    CompressionMeters compression() {
        return compression;
    }

    /** An edge's WAF counters. */
    WafMeters waf() {
        return requireNonNull(waf, "waf: an edge's");
    }

    /** An edge's rate limit counters. */
    RateLimitMeters rateLimits() {
        return requireNonNull(rateLimits, "rateLimits: an edge's");
    }

    /** Whether this node counts WAF refusals and rate limit rejections (an edge). */
    boolean hasFilters() {
        return waf != null;
    }

    /** Registers the counters of the rules and limits of {@code filters}: at start and after a reload. */
    void bindFilters(RequestFilters filters) {
        if (waf != null && rateLimits != null) {
            waf.bind(filters.waf());
            rateLimits.bind(filters.rateLimiter());
        }
    }

    /** Registers the meters read from the running node's parts, and the JVM's. Call once. */
    void bind(NodeParts node) {
        Readiness readiness = node.readiness();
        gauge(
                "strata.node.ready",
                readiness,
                r -> r.check().ready() ? 1 : 0,
                "1 when the node should receive traffic (/readyz), else 0");
        bindMemory(node.cache().memory());
        bindDisk(node.cache().disk());
        bindCollapser(node.collapser());
        bindUpstreams(node.pools().get());
        PurgeFollower follower = node.follower();
        if (follower != null) {
            gauge(
                    "strata.purge.lag",
                    follower,
                    f -> Math.max(0, f.lastSeenSeq() - f.appliedSeq()),
                    "Purge-log entries the log had at its last answer that this node has not applied yet");
            gauge(
                    "strata.purge.applied.seq",
                    follower,
                    PurgeFollower::appliedSeq,
                    "The last purge-log sequence applied");
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMeters.bindTo(registry);
    }

    private void bindMemory(MemoryTier memory) {
        Tags tier = bindTier("memory", memory);
        counter(
                "strata.cache.evictions",
                tier,
                memory,
                MemoryTier::evictionCount,
                "Entries evicted to stay within the budget");
    }

    private void bindDisk(CacheTier disk) {
        gauge(
                "strata.disk.available",
                Tags.empty(),
                disk,
                d -> d instanceof DiskTier ? 1 : 0,
                null,
                "1 while RocksDB is open, 0 when the directory could not be opened (memory only)");
        if (disk instanceof UnavailableTier unavailable) {
            counter(
                    "strata.disk.dropped.writes",
                    Tags.empty(),
                    unavailable,
                    UnavailableTier::droppedWrites,
                    "Stores dropped because there is no disk tier");
        }
        if (!(disk instanceof DiskTier rocks)) {
            return;
        }
        bindTier("disk", rocks);
        counter(
                "strata.disk.compactions",
                Tags.empty(),
                rocks,
                DiskTier::compactionCount,
                "FIFO compactions that dropped the oldest files to stay within the budget");
        counter("strata.disk.read.bytes", Tags.empty(), rocks, DiskTier::bytesRead, "Bytes RocksDB read for lookups");
        counter(
                "strata.disk.written.bytes",
                Tags.empty(),
                rocks,
                DiskTier::bytesWritten,
                "Bytes RocksDB was asked to write");
        counter(
                "strata.disk.errors",
                Tags.empty(),
                rocks,
                DiskTier::errorCount,
                "RocksDB read, write and delete errors (each degrades to a miss or a skipped store)");
        counter(
                "strata.disk.corrupt",
                Tags.empty(),
                rocks,
                DiskTier::corruptCount,
                "Entries dropped because their body did not match their metadata");
    }

    /** The meters every tier has, tagged {@code tier=NAME}; returns that tag. */
    private Tags bindTier(String name, TierStats stats) {
        Tags tier = Tags.of("tier", name);
        gauge("strata.cache.size", tier, stats, TierStats::usedBytes, "bytes", "Bytes the tier holds");
        gauge("strata.cache.capacity", tier, stats, TierStats::maxBytes, "bytes", "The tier's byte budget");
        gauge(
                "strata.cache.entries",
                tier,
                stats,
                TierStats::entryCount,
                null,
                "Entries the tier holds, markers and variants included");
        String lookups = "Reads of the tier, by whether they found an entry";
        counter("strata.cache.lookups", tier.and("status", "hit"), stats, TierStats::hitCount, lookups);
        counter("strata.cache.lookups", tier.and("status", "miss"), stats, TierStats::missCount, lookups);
        return tier;
    }

    private void bindCollapser(RequestCollapser collapser) {
        counter(
                "strata.collapse.collapsed",
                Tags.empty(),
                collapser,
                RequestCollapser::collapsedCount,
                "Requests that waited for another's fetch of their URL instead of fetching");
        counter(
                "strata.collapse.passes",
                Tags.empty(),
                collapser,
                RequestCollapser::passCount,
                "Misses not collapsed because their URL was recently not storable (hit-for-pass)");
        gauge(
                "strata.collapse.in.flight",
                Tags.empty(),
                collapser,
                RequestCollapser::inFlight,
                null,
                "Fetches under way that others can wait for");
    }

    /** Registers the access log's counters: lines written, and lines dropped by cause. */
    void bindAccessLog(AccessLog log) {
        counter("strata.access.log.written", Tags.empty(), log, AccessLog::written, "Access log lines written");
        counter(
                "strata.access.log.dropped",
                Tags.of("cause", "queue-full"),
                log,
                AccessLog::droppedQueueFull,
                "Access log lines dropped: the writer was behind (queue-full) or the file could not be written"
                        + " (write-error)");
        counter(
                "strata.access.log.dropped",
                Tags.of("cause", "write-error"),
                log,
                AccessLog::droppedWriteErrors,
                "Access log lines dropped: the writer was behind (queue-full) or the file could not be written"
                        + " (write-error)");
    }

    /** A pool's host, as its meters are tagged. */
    private record HostKey(String pool, String host) {}

    /** The upstream each host's meters read. Guarded by {@code this}. */
    private Map<HostKey, Upstream> boundUpstreams = Map.of();

    /**
     * Points the per-host meters at {@code pools}: at start, and after a reload. A host whose pool a
     * reload kept keeps its meters; the meters of a host that went away are removed, and a host with
     * new settings starts new ones (its counters start again from zero, which Prometheus reads as a
     * reset).
     */
    synchronized void bindUpstreams(List<UpstreamPool> pools) {
        Map<HostKey, Upstream> now = new LinkedHashMap<>();
        for (UpstreamPool pool : pools) {
            for (Upstream upstream : pool.upstreams()) {
                now.putIfAbsent(new HostKey(pool.name(), hostTag(upstream.uri())), upstream);
            }
        }
        for (Map.Entry<HostKey, Upstream> bound : boundUpstreams.entrySet()) {
            if (now.get(bound.getKey()) != bound.getValue()) {
                removeUpstreamMeters(bound.getKey());
            }
        }
        for (Map.Entry<HostKey, Upstream> entry : now.entrySet()) {
            if (boundUpstreams.get(entry.getKey()) != entry.getValue()) {
                bindUpstream(entry.getKey(), entry.getValue());
            }
        }
        boundUpstreams = now;
    }

    private void removeUpstreamMeters(HostKey key) {
        for (Meter meter : List.copyOf(registry.getMeters())) {
            Meter.Id id = meter.getId();
            if (id.getName().startsWith("strata.upstream.")
                    && key.pool().equals(id.getTag("pool"))
                    && key.host().equals(id.getTag("host"))) {
                registry.remove(meter);
            }
        }
    }

    private void bindUpstream(HostKey key, Upstream upstream) {
        Tags tags = Tags.of("pool", key.pool(), "host", key.host());
        for (HealthState.Status status : HealthState.Status.values()) {
            gauge(
                    "strata.upstream.health",
                    tags.and("state", status.tag()),
                    upstream,
                    u -> u.health().status() == status ? 1 : 0,
                    null,
                    "1 for the host's current state (up, down, ejected), 0 for the others");
        }
        FunctionTimer.builder(
                        "strata.upstream.requests",
                        upstream,
                        Upstream::attempts,
                        u -> u.latencyTotalNanos(),
                        TimeUnit.NANOSECONDS)
                .description("Requests to the host that ended, failover attempts included, and their latency")
                .tags(tags)
                .register(registry);
        counter(
                "strata.upstream.errors",
                tags,
                upstream,
                Upstream::failures,
                "Requests to the host that failed: no connection, a timeout or a 5xx");
        counter(
                "strata.upstream.ejections",
                tags,
                upstream,
                Upstream::ejections,
                "Times outlier detection ejected the host");
        counter(
                "strata.upstream.checks.failed",
                tags,
                upstream,
                Upstream::checksFailed,
                "Active health checks of the host that failed");
        gauge(
                "strata.upstream.latency",
                tags,
                upstream,
                u -> u.latencyNanos() / 1e9,
                "seconds",
                "The host's peak-EWMA latency estimate, as balancers see it");
        gauge("strata.upstream.in.flight", tags, upstream, Upstream::inFlight, null, "Requests to the host under way");
    }

    /** {@code host:port} of an upstream's URI: low-cardinality configuration, never a path. */
    static String hostTag(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    private <T> void gauge(String name, T state, ToDoubleFunction<T> value, String description) {
        gauge(name, Tags.empty(), state, value, null, description);
    }

    private <T> void gauge(
            String name, Tags tags, T state, ToDoubleFunction<T> value, @Nullable String unit, String description) {
        Gauge.Builder<T> builder = Gauge.builder(name, state, value)
                .description(description)
                .tags(tags)
                .strongReference(true);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }

    private <T> void counter(String name, Tags tags, T state, ToDoubleFunction<T> value, String description) {
        FunctionCounter.builder(name, state, value)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. Blocking: reads the disk tier. */
    String scrape() {
        return registry.scrape();
    }

    /** Releases the registry. */
    @Override
    public void close() {
        registry.close();
    }
}
