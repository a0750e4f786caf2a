package dev.strata.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.store.CacheTier;
import dev.strata.cache.store.DiskTier;
import dev.strata.cache.store.MemoryTier;
import dev.strata.cache.store.TierStats;
import dev.strata.cache.store.UnavailableTier;
import dev.strata.config.WafConfig;
import dev.strata.purge.PurgeFollower;
import dev.strata.upstream.HealthState;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The node's status page on its admin listener, in the manner of HAProxy's stats page: {@code
 * /status} is one self-contained HTML document (no external assets) whose script fetches {@code
 * /status.json} every few seconds and renders it; {@code /status.json} is what the node knows about
 * itself now — role, name, version, uptime, readiness, requests and hit ratios, cache fill, upstream
 * hosts and their health, the purges applied last, admission refusals, and on an edge its
 * compression, the WAF's refusals by rule and the rate limits' rejections by limit.
 *
 * <p>The page writes every value as text ({@code textContent}), never as markup, so a name, a
 * reason or a purge target cannot inject anything; its Content-Security-Policy allows only its own
 * inline script and style (by hash) and requests to this listener. {@code /metrics} is served here
 * too: Prometheus text from {@link NodeMetrics}. Building the JSON and scraping read the disk tier
 * (native calls), so both run on the admin listener's workers.
 */
final class StatusPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpString CONTENT_SECURITY_POLICY = new HttpString("Content-Security-Policy");
    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    /** The Prometheus text exposition format. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Page PAGE = Page.load("status.html");

    private final String role;
    private final String name;
    private final Clock clock;
    private final Instant startedAt;
    private final long startedNanos;
    private final NodeParts node;
    private final NodeMetrics metrics;

    /**
     * @param clock the node's clock, for the times the page shows
     */
    StatusPage(String role, String name, Clock clock, NodeParts node, NodeMetrics metrics) {
        this.role = role;
        this.name = name;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.startedNanos = System.nanoTime();
        this.node = node;
        this.metrics = metrics;
    }

    /** {@code /status}, {@code /status.json} and {@code /metrics}, for the admin listener. */
    Map<String, HttpHandler> routes() {
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put("/status", this::page);
        routes.put("/status.json", onWorker(exchange -> send(exchange, "application/json", json())));
        routes.put("/metrics", onWorker(exchange -> send(exchange, METRICS_CONTENT_TYPE, metrics.scrape())));
        return routes;
    }

    /** Runs {@code handler} on a worker of the listener: it may block. */
    private static HttpHandler onWorker(HttpHandler handler) {
        return exchange -> {
            if (!allowed(exchange)) {
                return;
            }
            if (exchange.isInIoThread()) {
                exchange.dispatch(handler);
            } else {
                handler.handleRequest(exchange);
            }
        };
    }

    /** GET and HEAD only; anything else is answered 405. */
    private static boolean allowed(HttpServerExchange exchange) {
        if (exchange.getRequestMethod().equals(Methods.GET)
                || exchange.getRequestMethod().equals(Methods.HEAD)) {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        AdminListener.text(exchange, 405, "method not allowed: " + exchange.getRequestMethod() + " (expected: GET)\n");
        return false;
    }

    private void page(HttpServerExchange exchange) {
        if (!allowed(exchange)) {
            return;
        }
        exchange.getResponseHeaders().put(CONTENT_SECURITY_POLICY, PAGE.contentSecurityPolicy());
        exchange.getResponseHeaders().put(REFERRER_POLICY, "no-referrer");
        send(exchange, "text/html; charset=utf-8", PAGE.html());
    }

    private static void send(HttpServerExchange exchange, String contentType, String body) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(CONTENT_TYPE_OPTIONS, "nosniff");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
        }
    }

    /** The status as JSON text. Blocking: reads the disk tier. */
    String json() {
        ObjectNode root = JSON.createObjectNode();
        Readiness.Verdict verdict = node.readiness().check();
        ObjectNode self = root.putObject("node");
        self.put("role", role);
        self.put("name", name);
        self.put("version", BuildInfo.VERSION);
        self.put("startedAt", startedAt.toString());
        self.put("now", clock.instant().toString());
        self.put("uptimeSeconds", (System.nanoTime() - startedNanos) / 1e9);
        self.put("ready", verdict.ready());
        ArrayNode checks = self.putArray("readiness");
        verdict.text().lines().skip(1).forEach(checks::add);

        RequestMeters.Totals totals = metrics.requests().totals();
        ObjectNode requests = root.putObject("requests");
        ArrayNode statuses = requests.putArray("statuses");
        long total = 0;
        for (RequestMeters.StatusCount count : totals.statuses()) {
            statuses.addObject()
                    .put("status", count.status())
                    .put("requests", count.requests())
                    .put("bytes", count.bytes());
            total += count.requests();
        }
        requests.put("total", total);
        requests.put("hitRatio", totals.hitRatio());
        requests.put("byteHitRatio", totals.byteHitRatio());

        ObjectNode cache = root.putObject("cache");
        memory(cache.putObject("memory"), node.cache().memory());
        disk(cache.putObject("disk"), node.cache().disk());

        RequestCollapser collapser = node.collapser();
        root.putObject("collapse")
                .put("collapsed", collapser.collapsedCount())
                .put("passes", collapser.passCount())
                .put("inFlight", collapser.inFlight());

        ArrayNode upstreams = root.putArray("upstreams");
        for (UpstreamPool pool : node.pools().get()) {
            for (Upstream upstream : pool.upstreams()) {
                HealthState health = upstream.health();
                upstreams
                        .addObject()
                        .put("pool", pool.name())
                        .put("host", NodeMetrics.hostTag(upstream.uri()))
                        .put("status", health.status().name())
                        .put("since", health.since().toString())
                        .put("reason", health.reason())
                        .put("ejections", upstream.ejections())
                        .put("checksFailed", upstream.checksFailed())
                        .put("requests", upstream.attempts())
                        .put("errors", upstream.failures())
                        .put("latencyMillis", upstream.latencyNanos() / 1e6)
                        .put("inFlight", upstream.inFlight());
            }
        }

        purges(root.putObject("purges"));

        CompressionMeters.Totals compressed = metrics.compression().totals();
        ObjectNode compression = root.putObject("compression");
        ObjectNode byEncoding = compression.putObject("responses");
        compressed.responses().forEach(byEncoding::put);
        compression
                .put("operations", compressed.operations())
                .put("bytesIn", compressed.bytesIn())
                .put("bytesOut", compressed.bytesOut());

        ObjectNode admission = root.putObject("admission");
        ArrayNode rejections = admission.putArray("rejections");
        metrics.rejections()
                .counts()
                .forEach((reason, count) ->
                        rejections.addObject().put("reason", reason).put("count", count));
        filters(root);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status JSON", e);
        }
    }

    /** An edge's WAF (refusals by rule) and rate limits (rejections by limit); a shield has neither. */
    private void filters(ObjectNode root) {
        RequestFilters filters = node.filters().get();
        boolean edge = metrics.hasFilters();
        WafConfig waf = filters.waf().config();
        ObjectNode wafOut = root.putObject("waf")
                .put("applies", edge)
                .put("enabled", filters.waf().enabled())
                .put("mode", waf.mode())
                .put("anomalyThreshold", waf.anomalyThreshold())
                .put("rules", filters.waf().ruleIds().size());
        ArrayNode blocks = wafOut.putArray("blocks");
        ObjectNode refused = wafOut.putObject("requests");
        ArrayNode limits = root.putObject("rateLimits")
                .put("applies", edge)
                .put("enabled", filters.rateLimiter().enabled())
                .putArray("limits");
        if (!edge) {
            return;
        }
        metrics.waf().requests().forEach(refused::put);
        metrics.waf().blocks().forEach((action, byRule) -> byRule.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(count -> blocks.addObject()
                        .put("rule", count.getKey())
                        .put("action", action)
                        .put("count", count.getValue())));
        Map<String, Long> rejections = metrics.rateLimits().counts();
        Map<String, Long> buckets = filters.rateLimiter().bucketCounts();
        filters.rateLimiter().descriptions().forEach((name, description) -> limits.addObject()
                .put("name", name)
                .put("description", description)
                .put("rejections", rejections.getOrDefault(name, 0L))
                .put("buckets", buckets.getOrDefault(name, 0L)));
    }

    private static void memory(ObjectNode out, MemoryTier memory) {
        tier(out, memory).put("evictions", memory.evictionCount());
    }

    private static void disk(ObjectNode out, CacheTier disk) {
        if (disk instanceof DiskTier rocks) {
            tier(out, rocks)
                    .put("compactions", rocks.compactionCount())
                    .put("errors", rocks.errorCount())
                    .put("corrupt", rocks.corruptCount());
        } else if (disk instanceof UnavailableTier unavailable) {
            out.put("state", "unavailable")
                    .put("reason", unavailable.reason())
                    .put("droppedWrites", unavailable.droppedWrites());
        } else {
            out.put("state", Objects.toString(disk));
        }
    }

    /** What every open tier shows. */
    private static ObjectNode tier(ObjectNode out, TierStats stats) {
        return out.put("state", "open")
                .put("usedBytes", stats.usedBytes())
                .put("capacityBytes", stats.maxBytes())
                .put("entries", stats.entryCount())
                .put("hits", stats.hitCount())
                .put("misses", stats.missCount());
    }

    private void purges(ObjectNode out) {
        PurgeFollower follower = node.follower();
        out.put("following", follower != null);
        if (follower != null) {
            out.put("applied", follower.appliedSeq())
                    .put("seen", follower.lastSeenSeq())
                    .put("lag", Math.max(0, follower.lastSeenSeq() - follower.appliedSeq()))
                    .put("answered", follower.answered());
        }
        ArrayNode recent = out.putArray("recent");
        for (RecentPurges.Applied applied : metrics.purges().recent()) {
            ObjectNode item = recent.addObject()
                    .put("seq", applied.seq())
                    .put("id", applied.id())
                    .put("kind", applied.kind())
                    .put("soft", applied.soft())
                    .put("moreTargets", applied.moreTargets())
                    .put("acceptedAt", applied.acceptedAt().toString())
                    .put("appliedAt", applied.appliedAt().toString())
                    .put("applyMillis", applied.applyNanos() / 1e6);
            ArrayNode targets = item.putArray("targets");
            applied.targets().forEach(targets::add);
        }
    }

    /**
     * The page and its Content-Security-Policy: its one inline {@code <style>} and one inline
     * {@code <script>} are allowed by their SHA-256 hashes, computed here from the very text served.
     */
    private record Page(String html, String contentSecurityPolicy) {
        static Page load(String resource) {
            String html;
            try (InputStream in = StatusPage.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
            String csp = "default-src 'none'; script-src " + hash(inner(html, "script")) + "; style-src "
                    + hash(inner(html, "style")) + "; connect-src 'self'; img-src 'self';"
                    + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            return new Page(html, csp);
        }

        /** The text between {@code <tag>} and {@code </tag>}: the page has exactly one of each. */
        private static String inner(String html, String tag) {
            int open = html.indexOf("<" + tag + ">");
            int close = html.indexOf("</" + tag + ">");
            if (open < 0 || close < open || html.indexOf("<" + tag + ">", open + 1) >= 0) {
                throw new IllegalStateException("status.html: expected exactly one <" + tag + "> element");
            }
            return html.substring(open + tag.length() + 2, close);
        }

        private static String hash(String text) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256", e);
            }
        }
    }
}
