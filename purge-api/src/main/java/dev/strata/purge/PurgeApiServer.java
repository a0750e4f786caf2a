package dev.strata.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.config.SiteConfig;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge API server, on its own listener (docs/purge.md; the contract is {@code openapi.json},
 * served at {@code /openapi.json}):
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200, or 503 while the log cannot be reached;
 *   <li>{@code POST /v1/purge}: appends a purge to the log, answers 202 with its id and sequence
 *       number; an {@code Idempotency-Key} seen before answers the same purge again;
 *   <li>{@code GET /v1/purge/{id}}: the purge and, per node, {@code applied}, {@code pending} or
 *       {@code unreachable}, with the time it completed on every node;
 *   <li>{@code GET /v1/nodes}: every node following the log, its last applied sequence and lag;
 *       with {@code wait=MS&minApplied=SEQ} parked (no thread held) until every reachable node has
 *       applied {@code SEQ} or the wait ends, so a client sees a purge complete without polling;
 *   <li>{@code GET /v1/log?after=SEQ&wait=MS&node=NAME&applied=SEQ}: what nodes follow; a request
 *       with nothing to return is parked (no thread held) until an append or the wait ends;
 *   <li>{@code POST /v1/nodes/{name}/applied}: a node reports its applied sequence.
 * </ul>
 *
 * <p>Operators authenticate with bearer tokens scoped by site and action ({@link Tokens}); errors
 * are problem documents (RFC 9457). The operators' endpoints share one rate limit; the nodes'
 * endpoints are not limited and not authenticated (the listener is private). Storage work runs on
 * Undertow's worker threads, never on an I/O thread; appends run on a pool of their own ({@value
 * #APPEND_THREADS} threads, {@value #APPEND_QUEUE} waiting, then 503), because each one waits for
 * its group's fsync ({@link RocksPurgeLog}): parked there, they never hold up the workers that
 * answer the nodes' log requests, and enough of them wait at once to fill a group. A log that cannot be reached answers 503 (a
 * problem document with {@code Retry-After}).
 */
public final class PurgeApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PurgeApiServer.class);
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_LOG_BATCH = 1000;
    /** The longest a log request is parked, in ms: below every proxy's idle timeout. */
    static final long MAX_WAIT_MILLIS = 25_000;

    private static final int MAX_PARKED = 10_000;
    static final int APPEND_THREADS = 64;
    static final int APPEND_QUEUE = 4096;
    private static final HttpString IDEMPOTENCY_KEY = new HttpString("Idempotency-Key");
    private static final HttpString IDEMPOTENT_REPLAYED = new HttpString("Idempotent-Replayed");
    private static final HttpString OLDEST_SEQ = new HttpString("X-Strata-Oldest-Seq");
    private static final HttpString LAST_SEQ = new HttpString("X-Strata-Last-Seq");

    /** One route of the API: a method and a path template. */
    public record Endpoint(String method, String path) {}

    /** Every route, in the order of the OpenAPI document. */
    public static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/healthz"),
            new Endpoint("GET", "/openapi.json"),
            new Endpoint("POST", "/v1/purge"),
            new Endpoint("GET", "/v1/purge/{id}"),
            new Endpoint("GET", "/v1/nodes"),
            new Endpoint("POST", "/v1/nodes/{name}/applied"),
            new Endpoint("GET", "/v1/log"));

    private final PurgeApiConfig config;
    private final PurgeLog purgeLog;
    private final Tokens tokens;
    private final PurgeRequests requests;
    private final NodeRegistry registry;
    private final RateLimiter rateLimiter;
    private final byte[] openApi;
    /** Log requests waiting for an append. */
    private final Set<Parked> parked = ConcurrentHashMap.newKeySet();
    /** Node-list requests waiting for the nodes' progress. */
    private final Set<Parked> watchers = ConcurrentHashMap.newKeySet();

    private final ThreadPoolExecutor appends;

    private final GracefulShutdownHandler graceful;
    private final Undertow undertow;
    private final URI uri;

    private PurgeApiServer(
            PurgeApiConfig config,
            List<SiteConfig> sites,
            Clock clock,
            PurgeLog purgeLog,
            int appendThreads,
            int appendQueue) {
        this.config = config;
        this.purgeLog = purgeLog;
        this.tokens = new Tokens(config.tokens());
        this.requests = new PurgeRequests(sites, config.maxItems());
        this.registry = new NodeRegistry(clock, config.nodeTimeout());
        this.rateLimiter = new RateLimiter(config.requestsPerSecond(), System::nanoTime);
        this.openApi = openApiDocument();
        AtomicInteger threads = new AtomicInteger();
        this.appends = new ThreadPoolExecutor(
                appendThreads, appendThreads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(appendQueue), runnable -> {
                    Thread thread = new Thread(runnable, "purge-append-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        appends.allowCoreThreadTimeOut(true);
        Map<String, HttpHandler> handlers = Map.of(
                "GET /healthz", this::health,
                "GET /openapi.json", this::openApi,
                "POST /v1/purge", limited(this::purge), // to the append pool itself
                "GET /v1/purge/{id}", limited(onWorker(this::status)),
                "GET /v1/nodes", limited(onWorker(this::nodes)),
                "POST /v1/nodes/{name}/applied", this::applied,
                "GET /v1/log", this::readLog);
        RoutingHandler routing = new RoutingHandler()
                .setFallbackHandler(exchange -> new Problem(
                                404,
                                "Not Found",
                                "no such endpoint: " + exchange.getRequestPath() + " (see /openapi.json)",
                                "")
                        .send(exchange))
                .setInvalidMethodHandler(exchange -> new Problem(
                                405,
                                "Method Not Allowed",
                                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath(),
                                "")
                        .send(exchange));
        for (Endpoint endpoint : ENDPOINTS) {
            HttpHandler handler = handlers.get(endpoint.method() + " " + endpoint.path());
            if (handler == null) {
                throw new IllegalStateException("no handler for " + endpoint);
            }
            routing.add(endpoint.method(), endpoint.path(), handler);
        }
        this.graceful = new GracefulShutdownHandler(routing);
        this.undertow = Undertow.builder()
                .addHttpListener(config.listen().port(), config.listen().host())
                .setHandler(graceful)
                .build();
        purgeLog.onAppend(() -> wake(parked));
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot listen on " + config.listen() + ": "
                            + (e.getCause() == null
                                    ? e.getMessage()
                                    : e.getCause().getMessage()),
                    e);
        }
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        String host = config.listen().host();
        this.uri = URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
    }

    /**
     * Opens the purge log {@code config.log()} names ({@link RocksPurgeLog} in {@code config.dir()},
     * or {@link JetStreamPurgeLog}) and starts listening.
     *
     * @param sites the sites purges may name (a site-scoped token purges only its sites' hosts)
     * @throws IllegalStateException when the address cannot be bound, naming it and the cause
     * @throws UncheckedIOException when the log cannot be opened, naming its directory or its servers
     */
    public static PurgeApiServer start(PurgeApiConfig config, List<SiteConfig> sites, Clock clock) {
        PurgeLog purgeLog = config.log().isNats()
                ? JetStreamPurgeLog.open(config.log().nats(), clock, config.retainEntries(), config.retention())
                : RocksPurgeLog.open(config.dir(), clock, config.retainEntries(), config.retention());
        return start(config, sites, clock, purgeLog);
    }

    /** Starts listening in front of {@code purgeLog}, which {@link #close()} closes. */
    public static PurgeApiServer start(PurgeApiConfig config, List<SiteConfig> sites, Clock clock, PurgeLog purgeLog) {
        return start(config, sites, clock, purgeLog, APPEND_THREADS, APPEND_QUEUE);
    }

    /** As {@link #start(PurgeApiConfig, List, Clock, PurgeLog)}, with an append pool of this size. */
    static PurgeApiServer start(
            PurgeApiConfig config,
            List<SiteConfig> sites,
            Clock clock,
            PurgeLog purgeLog,
            int appendThreads,
            int appendQueue) {
        try {
            PurgeApiServer server = new PurgeApiServer(config, sites, clock, purgeLog, appendThreads, appendQueue);
            log.info(
                    "purge-api listening on {} (log: {}, {} tokens)",
                    server.uri,
                    purgeLog,
                    config.tokens().size());
            return server;
        } catch (RuntimeException e) {
            purgeLog.close();
            throw e;
        }
    }

    private static byte[] openApiDocument() {
        try (InputStream in = PurgeApiServer.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the purge-api jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code handler} on a worker thread (the log may block); a log that cannot be reached
     * answers 503 instead of a stack trace.
     */
    private static HttpHandler onWorker(HttpHandler handler) {
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(this);
                    return;
                }
                try {
                    handler.handleRequest(exchange);
                } catch (UncheckedIOException e) {
                    unavailable(exchange, e);
                }
            }

            @Override
            public String toString() {
                return "onWorker(" + handler + ")";
            }
        };
    }

    /** Answers 503: the purge log failed with {@code failure}. */
    private static void unavailable(HttpServerExchange exchange, UncheckedIOException failure) {
        log.warn(
                "{} {}: the purge log is unavailable: {}",
                exchange.getRequestMethod(),
                exchange.getRequestPath(),
                failure.getMessage());
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        String detail = "the purge log is unavailable: " + failure.getMessage();
        if (exchange.getRequestMethod().equalToString("POST")) {
            detail += " (the purge may or may not have been accepted: repeat it with the same Idempotency-Key)";
        }
        Problem.unavailable(detail).send(exchange);
    }

    // ---- operators' endpoints

    private HttpHandler limited(HttpHandler next) {
        return exchange -> {
            if (!rateLimiter.tryAcquire()) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, rateLimiter.retryAfterSeconds());
                new Problem(
                                429,
                                "Too Many Requests",
                                "the purge API allows " + config.requestsPerSecond() + " requests a second",
                                "")
                        .send(exchange);
                return;
            }
            next.handleRequest(exchange);
        };
    }

    /** The token of the request if it may do {@code action}; otherwise answers 401 or 403 and returns empty. */
    private Optional<PurgeTokenConfig> authorize(HttpServerExchange exchange, String action) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization == null) {
            new Problem(401, "Unauthorized", "missing bearer token (expected: Authorization: Bearer TOKEN)", "")
                    .send(exchange);
            return Optional.empty();
        }
        Optional<PurgeTokenConfig> token = tokens.authenticate(authorization);
        if (token.isEmpty()) {
            new Problem(401, "Unauthorized", "the bearer token is not valid", "").send(exchange);
            return Optional.empty();
        }
        if (!token.get().actions().contains(action)) {
            Problem.forbidden("token \"" + token.get().name() + "\" may not " + action + " (it may: "
                            + String.join(", ", token.get().actions()) + ")")
                    .send(exchange);
            return Optional.empty();
        }
        return token;
    }

    /** On a worker thread: reads the body and appends to the log. */
    private void purge(HttpServerExchange exchange) throws IOException {
        if (exchange.isInIoThread()) {
            if (appends.getQueue().remainingCapacity() == 0) {
                exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 1);
                new Problem(503, "Service Unavailable", "too many purges waiting to be written", "").send(exchange);
                return;
            }
            // Reads the body and waits for the log's fsync: a thread of the append pool. Should the
            // pool refuse it after all, Undertow answers 503.
            exchange.dispatch(appends, onWorker(this::purge)); // onWorker: a log out of reach is a 503
            return;
        }
        Optional<PurgeTokenConfig> authorized = authorize(exchange, "purge");
        if (authorized.isEmpty()) {
            return;
        }
        PurgeTokenConfig token = authorized.get();
        String key = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
        if (key != null && (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127))) {
            Problem.badRequest(
                            "Idempotency-Key",
                            "Idempotency-Key: expected 1 to 255 visible ASCII characters, e.g. a UUID")
                    .send(exchange);
            return;
        }
        exchange.startBlocking();
        byte[] body = exchange.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            new Problem(413, "Content Too Large", "the body is larger than 1 MiB", "(body)").send(exchange);
            return;
        }
        PurgeRequest request;
        try {
            request = requests.parse(body, token);
        } catch (PurgeRequests.Rejected e) {
            e.problem().send(exchange);
            return;
        }
        PurgeLog.Appended appended =
                purgeLog.append(request, token.name(), key == null ? "" : token.name() + ":" + key);
        PurgeEntry entry = appended.entry();
        if (appended.repeated() && !entry.request().equals(request)) {
            new Problem(
                            422,
                            "Unprocessable Content",
                            "Idempotency-Key: already used for another purge (" + entry.id() + ")",
                            "Idempotency-Key")
                    .send(exchange);
            return;
        }
        if (!appended.repeated()) {
            log.info(
                    "purge {} seq {} by {}: {} {} {}",
                    entry.id(),
                    entry.seq(),
                    token.name(),
                    request.soft() ? "soft" : "hard",
                    request.kind().field(),
                    request.targets().size() > 5 ? request.targets().size() + " targets" : request.targets());
        }
        ObjectNode answer = PurgeJson.object();
        answer.put("id", entry.id());
        answer.put("seq", entry.seq());
        answer.put("status", "/v1/purge/" + entry.id());
        exchange.setStatusCode(202);
        exchange.getResponseHeaders().put(Headers.LOCATION, "/v1/purge/" + entry.id());
        if (appended.repeated()) {
            exchange.getResponseHeaders().put(IDEMPOTENT_REPLAYED, "true");
        }
        sendJson(exchange, answer);
    }

    /** On a worker thread: reads the log. */
    private void status(HttpServerExchange exchange) {
        Optional<PurgeTokenConfig> token = authorize(exchange, "read");
        if (token.isEmpty()) {
            return;
        }
        String id = pathParameter(exchange, "id");
        Optional<PurgeEntry> found = purgeLog.byId(id);
        if (found.isEmpty()) {
            new Problem(404, "Not Found", "no purge " + id + " (or it is older than the log's retention)", "")
                    .send(exchange);
            return;
        }
        PurgeEntry entry = found.get();
        if (!token.get().allowsEverySite() && !entry.request().sites().stream().allMatch(token.get()::allowsSite)) {
            Problem.forbidden("token \"" + token.get().name() + "\" may not read purges of "
                            + entry.request().sites())
                    .send(exchange);
            return;
        }
        ObjectNode answer = PurgeJson.toJson(entry);
        ArrayNode nodes = answer.putArray("nodes");
        boolean complete = true;
        Instant completedAt = Instant.ofEpochMilli(entry.timeMillis());
        for (NodeRegistry.NodeState node : registry.nodes()) {
            ObjectNode item = nodes.addObject();
            item.put("name", node.name());
            Optional<Instant> appliedAt = registry.appliedAt(node.name(), entry.seq());
            String state = appliedAt.isPresent() ? "applied" : node.reachable() ? "pending" : "unreachable";
            item.put("status", state);
            item.put("appliedSeq", node.appliedSeq());
            appliedAt.ifPresent(at -> item.put("appliedAt", at.toString()));
            item.put("lastSeen", node.lastSeen().toString());
            if (appliedAt.isPresent()) {
                completedAt = appliedAt.get().isAfter(completedAt) ? appliedAt.get() : completedAt;
            } else {
                complete = false;
            }
        }
        complete &= !nodes.isEmpty();
        answer.put("complete", complete);
        if (complete) {
            answer.put("completedAt", completedAt.toString());
        } else {
            answer.putNull("completedAt");
        }
        sendJson(exchange, answer);
    }

    /** On a worker thread: reads the log. */
    private void nodes(HttpServerExchange exchange) {
        if (authorize(exchange, "read").isEmpty()) {
            return;
        }
        long waitMillis;
        long minApplied;
        try {
            waitMillis = Math.min(MAX_WAIT_MILLIS, longParameter(exchange, "wait", 0));
            minApplied = longParameter(exchange, "minApplied", 0);
        } catch (IllegalArgumentException e) {
            badParameter(exchange, e);
            return;
        }
        if (waitMillis > 0 && registry.minReachableApplied() < minApplied && watchers.size() < MAX_PARKED) {
            park(exchange, watchers, waitMillis, () -> registry.minReachableApplied() >= minApplied, this::answerNodes);
            return;
        }
        answerNodes(exchange);
    }

    private void answerNodes(HttpServerExchange exchange) {
        long last = purgeLog.lastSeq();
        ObjectNode answer = PurgeJson.object();
        answer.put("lastSeq", last);
        answer.put("oldestSeq", purgeLog.oldestSeq());
        ArrayNode nodes = answer.putArray("nodes");
        for (NodeRegistry.NodeState node : registry.nodes()) {
            ObjectNode item = nodes.addObject();
            item.put("name", node.name());
            item.put("appliedSeq", node.appliedSeq());
            item.put("lag", Math.max(0, last - node.appliedSeq()));
            item.put("lastSeen", node.lastSeen().toString());
            item.put("status", node.reachable() ? "reachable" : "unreachable");
        }
        sendJson(exchange, answer);
    }

    // ---- nodes' endpoints

    private void applied(HttpServerExchange exchange) {
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        String name = pathParameter(exchange, "name");
        if (!validNodeName(name)) {
            Problem.badRequest("name", "name: \"" + name + "\" is not a node name")
                    .send(exchange);
            return;
        }
        exchange.getRequestReceiver()
                .receiveFullBytes(
                        (ex, body) -> {
                            JsonNode seq;
                            try {
                                seq = PurgeJson.parse(body).path("seq");
                            } catch (IllegalArgumentException e) {
                                Problem.badRequest("(body)", "malformed JSON (expected: {\"seq\": N})")
                                        .send(ex);
                                return;
                            }
                            if (!seq.canConvertToLong() || seq.asLong() < 0) {
                                Problem.badRequest("seq", "seq: expected a whole number >= 0, got " + seq)
                                        .send(ex);
                                return;
                            }
                            reported(name, seq.asLong());
                            ex.setStatusCode(204);
                            ex.endExchange();
                        },
                        (ex, e) -> Problem.badRequest("(body)", "unreadable body: " + e.getMessage())
                                .send(ex));
    }

    private static boolean validNodeName(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    }

    /** A parsed {@code /v1/log} query. */
    private record LogQuery(long after, long waitMillis, int limit) {}

    private void readLog(HttpServerExchange exchange) {
        LogQuery query;
        try {
            long after = longParameter(exchange, "after", 0);
            long waitMillis = Math.min(MAX_WAIT_MILLIS, longParameter(exchange, "wait", 0));
            int limit = (int) Math.min(MAX_LOG_BATCH, Math.max(1, longParameter(exchange, "limit", MAX_LOG_BATCH)));
            query = new LogQuery(after, waitMillis, limit);
            String node = exchange.getQueryParameters().containsKey("node")
                    ? exchange.getQueryParameters().get("node").getFirst()
                    : null;
            if (node != null) {
                if (!validNodeName(node)) {
                    throw new IllegalArgumentException("node: \"" + node + "\" is not a node name");
                }
                reported(node, longParameter(exchange, "applied", after));
            }
        } catch (IllegalArgumentException e) {
            badParameter(exchange, e);
            return;
        }
        exchange.dispatch(ex -> answerLog(ex, query, true)); // the log may block: a worker thread
    }

    /** Records a node's report and answers the node-list requests its progress completes. */
    private void reported(String node, long applied) {
        if (registry.report(node, applied)) {
            wake(watchers);
        }
    }

    /** Answers 400 for a query parameter whose message starts with its name and a colon. */
    private static void badParameter(HttpServerExchange exchange, IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        Problem.badRequest(message.substring(0, Math.max(0, message.indexOf(':'))), message)
                .send(exchange);
    }

    private static long longParameter(HttpServerExchange exchange, String name, long otherwise) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return otherwise;
        }
        try {
            long value = Long.parseLong(values.getFirst());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + ": \"" + values.getFirst() + "\" (expected: a whole number >= 0)", e);
        }
    }

    /**
     * Answers with the entries after {@code query.after()}, or parks the exchange when there are none
     * yet; on a worker thread.
     */
    private void answerLog(HttpServerExchange exchange, LogQuery query, boolean mayPark) {
        long last;
        List<PurgeEntry> entries;
        long oldest;
        try {
            last = purgeLog.lastSeq();
            entries = purgeLog.after(query.after(), query.limit());
            // Read after the entries: retention may trim between the two reads, and an oldest kept
            // sequence from before the trim would hide the gap from the follower.
            oldest = purgeLog.oldestSeq();
        } catch (UncheckedIOException e) {
            unavailable(exchange, e);
            return;
        }
        if (entries.isEmpty() && mayPark && query.waitMillis() > 0 && parked.size() < MAX_PARKED) {
            park(
                    exchange,
                    parked,
                    query.waitMillis(),
                    () -> purgeLog.lastSeq() > query.after(),
                    ex -> answerLog(ex, query, false));
            return;
        }
        ObjectNode answer = PurgeJson.object();
        answer.put("lastSeq", last);
        answer.put("oldestSeq", oldest);
        ArrayNode items = answer.putArray("entries");
        entries.forEach(entry -> items.add(PurgeJson.toJson(entry)));
        exchange.getResponseHeaders().put(OLDEST_SEQ, oldest);
        exchange.getResponseHeaders().put(LAST_SEQ, last);
        sendJson(exchange, answer);
    }

    /**
     * Parks {@code exchange} in {@code waiting} until {@code ready} holds when {@link #wake} checks
     * it, or {@code waitMillis} pass; then {@code answer} runs on a worker thread. No thread is held
     * meanwhile.
     */
    private static void park(
            HttpServerExchange exchange,
            Set<Parked> waiting,
            long waitMillis,
            BooleanSupplier ready,
            HttpHandler answer) {
        Parked waiter = new Parked(exchange, waiting, ready, answer);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            waiting.add(waiter);
            exchange.getIoThread().executeAfter(waiter::answer, waitMillis, TimeUnit.MILLISECONDS);
            if (ready.getAsBoolean()) {
                waiter.answer(); // ready while this request was being parked
            }
        });
    }

    /** A request waiting for an event: an append, or the nodes' progress. */
    private static final class Parked {
        private final HttpServerExchange exchange;
        private final Set<Parked> waiting;
        private final BooleanSupplier ready;
        private final HttpHandler answer;
        private final AtomicBoolean answered = new AtomicBoolean();

        Parked(HttpServerExchange exchange, Set<Parked> waiting, BooleanSupplier ready, HttpHandler answer) {
            this.exchange = exchange;
            this.waiting = waiting;
            this.ready = ready;
            this.answer = answer;
        }

        /** Answers the request (once) on a worker thread. */
        void answer() {
            if (answered.compareAndSet(false, true)) {
                waiting.remove(this);
                exchange.dispatch(exchange.getConnection().getWorker(), answer);
            }
        }
    }

    /** Answers the requests in {@code waiting} that are ready. */
    private static void wake(Set<Parked> waiting) {
        for (Parked waiter : waiting) {
            if (waiter.ready.getAsBoolean()) {
                waiter.answer();
            }
        }
    }

    /** Answers every parked request, ready or not. */
    private void answerAllParked() {
        for (Parked waiter : List.copyOf(parked)) {
            waiter.answer();
        }
        for (Parked waiter : List.copyOf(watchers)) {
            waiter.answer();
        }
    }

    // ---- the rest

    /** 200 while the log can be reached, 503 while this replica is cut off from it; on the I/O thread. */
    private void health(HttpServerExchange exchange) {
        ObjectNode answer = PurgeJson.object();
        if (purgeLog.available()) {
            answer.put("status", "ok");
        } else {
            exchange.setStatusCode(503);
            answer.put("status", "unavailable");
            answer.put("detail", "the purge log cannot be reached: " + purgeLog);
        }
        sendJson(exchange, answer);
    }

    private void openApi(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(openApi));
    }

    private static String pathParameter(HttpServerExchange exchange, String name) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        @Nullable String value = match == null ? null : match.getParameters().get(name);
        return value == null ? "" : value;
    }

    private static void sendJson(HttpServerExchange exchange, JsonNode body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(PurgeJson.bytes(body)));
    }

    /** The URL of the API, with the real port when the configured one was 0. */
    public URI uri() {
        return uri;
    }

    /** Purges waiting for a thread of the append pool. */
    int queuedAppends() {
        return appends.getQueue().size();
    }

    /** The log this server appends to. */
    public PurgeLog purgeLog() {
        return purgeLog;
    }

    /**
     * Answers parked log requests, stops accepting, lets in-flight requests finish (up to 10 s),
     * closes the listener and then the log.
     */
    @Override
    public void close() {
        graceful.shutdown();
        answerAllParked();
        try {
            graceful.awaitShutdown(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        appends.shutdown();
        purgeLog.close();
    }

    /** The endpoints as {@code METHOD PATH} strings, for tests that compare them with the OpenAPI document. */
    static List<String> routes() {
        List<String> routes = new ArrayList<>();
        ENDPOINTS.forEach(endpoint -> routes.add(endpoint.method() + " " + endpoint.path()));
        return routes;
    }
}
