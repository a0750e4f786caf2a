package dev.strata.upstream;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.UpstreamConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous HTTP client a node uses towards its next hop: HttpClient 5 with pooled
 * keep-alive HTTP/1.1 connections, connect and response timeouts, no automatic retries, redirects,
 * cookies or decompression (a proxy forwards what it got).
 *
 * <p>{@link #fetch} and {@link #exchange} try the hosts in the order given and move to the next
 * one when an idempotent request fails to connect, times out or gets a 5xx, within a retry budget
 * shared by all requests of this client ({@code retry-budget-ratio} and {@code
 * retry-budget-min-per-second}); each attempt is reported to its {@link Upstream}, which feeds its
 * pool's outlier detection. {@link #fetch} buffers bodies up to a limit and fails past it; {@link
 * #exchange} buffers up to a limit and streams what is larger, with backpressure (see {@link
 * BodySource}). Never blocks the caller: completion runs on HttpClient's I/O threads, so callers
 * hand heavy work elsewhere. Thread-safe.
 */
public final class UpstreamClient implements AutoCloseable {
    /**
     * Bytes a streamed body delivers ahead of what its sink has passed on: enough to keep a fast
     * client's socket busy, little enough that thousands of slow downloads fit in the heap.
     */
    static final long STREAM_WINDOW_BYTES = 256 * 1024;

    private final CloseableHttpAsyncClient client;
    private final Clock clock;
    private final String via;
    private final Supplier<HeaderList> extraHeaders;
    private final FlowExecutor flow;
    private final AtomicLong fetches = new AtomicLong();
    private final PoolingAsyncClientConnectionManager connections;
    /** Swapped whole by {@link #reconfigure}; an attempt reads each once. */
    private volatile UpstreamConfig config;

    private volatile RetryBudget retryBudget;
    private volatile RequestConfig requestConfig;
    /**
     * How to fail each fetch and exchange not yet complete (a streamed body included), by number, so
     * that {@link #close} can fail them: HttpClient does not.
     */
    private final Map<Long, Consumer<UpstreamException>> inFlight = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /**
     * Starts a client.
     *
     * @param config timeouts and pool sizes
     * @param nodeName this node's name, sent in {@code Via}
     * @param clock the clock for request and response times
     */
    public UpstreamClient(UpstreamConfig config, String nodeName, Clock clock) {
        this(config, nodeName, clock, HeaderList::of);
    }

    /**
     * Starts a client that adds {@code extraHeaders} to every request (an edge's {@code
     * X-Strata-Purge-Seq}, read at each request).
     *
     * @param extraHeaders called once per request attempt, on any thread; must not block
     */
    public UpstreamClient(UpstreamConfig config, String nodeName, Clock clock, Supplier<HeaderList> extraHeaders) {
        this.clock = clock;
        this.extraHeaders = extraHeaders;
        this.via = "1.1 " + nodeName + " (strata)";
        this.config = config;
        this.retryBudget = retryBudget(config);
        this.requestConfig = requestConfig(config);
        this.connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(config.maxConnectionsPerHost())
                .setMaxConnTotal(config.maxConnectionsPerHost() * 16)
                .setDefaultConnectionConfig(connectionConfig(config))
                .build();
        this.client = HopClients.builder(
                        connections,
                        IOReactorConfig.custom()
                                .setIoThreadCount(
                                        Math.max(2, Runtime.getRuntime().availableProcessors()))
                                .setSoTimeout(Timeout.of(config.responseTimeout()))
                                .build(),
                        requestConfigBuilder(config))
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        client.start();
        this.flow = FlowExecutor.start("upstream-flow-" + nodeName);
    }

    private static RetryBudget retryBudget(UpstreamConfig config) {
        return new RetryBudget(config.retryBudgetRatio(), config.retryBudgetMinPerSecond(), System::nanoTime);
    }

    private static RequestConfig.Builder requestConfigBuilder(UpstreamConfig config) {
        Timeout response = Timeout.of(config.responseTimeout());
        return RequestConfig.custom().setResponseTimeout(response).setConnectionRequestTimeout(response);
    }

    private static RequestConfig requestConfig(UpstreamConfig config) {
        return HopClients.requestConfig(requestConfigBuilder(config));
    }

    private static ConnectionConfig connectionConfig(UpstreamConfig config) {
        return ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(config.connectTimeout()))
                .setSocketTimeout(Timeout.of(config.responseTimeout()))
                .setTimeToLive(TimeValue.ofMinutes(5))
                .build();
    }

    /**
     * Applies new settings to this running client, for a configuration reload: requests that start
     * afterwards use the new timeouts, the pool takes the new sizes (connections beyond them close as
     * they are released) and a retry budget with the new figures starts empty. Requests in flight
     * keep the settings they started with; pooled connections are kept.
     */
    public synchronized void reconfigure(UpstreamConfig next) {
        if (next.equals(config)) {
            return;
        }
        connections.setDefaultConnectionConfig(connectionConfig(next));
        connections.setDefaultMaxPerRoute(next.maxConnectionsPerHost());
        connections.setMaxTotal(next.maxConnectionsPerHost() * 16);
        requestConfig = requestConfig(next);
        if (next.retryBudgetRatio() != config.retryBudgetRatio()
                || next.retryBudgetMinPerSecond() != config.retryBudgetMinPerSecond()) {
            retryBudget = retryBudget(next);
        }
        config = next;
    }

    /** The settings in use. */
    public UpstreamConfig config() {
        return config;
    }

    /**
     * Sends {@code request} to the first host of {@code hosts}, failing over to the next when an
     * idempotent request fails to connect, times out or is answered with a 5xx, within the retry
     * budget; when every host tried failed, the last 5xx answer, if any, is the result.
     *
     * @param hosts the hosts in the order to try them, as a balancer ordered them; each attempt is
     *     counted on its host ({@link Upstream#begin()}) and feeds its pool's outlier detection
     * @param maxBodyBytes a response body larger than this fails the fetch
     * @return the response, or a future failed with {@link UpstreamException} naming the hosts tried
     */
    public CompletableFuture<UpstreamResponse> fetch(List<Upstream> hosts, UpstreamRequest request, long maxBodyBytes) {
        return exchange(hosts, request, maxBodyBytes).thenApply(fetched -> {
            if (fetched instanceof Fetched.Buffered buffered) {
                return buffered.response();
            }
            // A body too large to buffer: give the connection back and fail the fetch.
            ((Fetched.Streaming) fetched).body().cancel();
            throw new UpstreamException(
                    "response body from " + fetched.host() + " is larger than " + maxBodyBytes + " bytes",
                    false,
                    new IOException("body over " + maxBodyBytes + " bytes"));
        });
    }

    /**
     * Sends {@code request} like {@link #fetch}, but a body too large to buffer is streamed rather
     * than failing: the result is {@link Fetched.Buffered} when the response has no body, a {@code
     * Content-Length} of at most {@code maxBufferedBytes}, or no length and a body that ends within
     * it; otherwise {@link Fetched.Streaming}, handed out as soon as the head arrives (or, without a
     * length, once the body passes the limit; the bytes buffered so far are delivered first). The
     * caller must start or cancel a streamed body.
     *
     * <p>Fails over like {@link #fetch} only until a streamed result is handed out; a failure after
     * that reaches the body's sink as an {@link UpstreamException}. A streamed 5xx that is failed
     * over is cancelled, so it cannot be the last answer relayed. The body delivers at most 256 KiB
     * beyond what its sink has requested, and HttpClient stops reading the connection meanwhile; the
     * response timeout still applies, so a sink that requests nothing for that long fails the body.
     *
     * @param hosts the hosts in the order to try them (see {@link #fetch})
     * @param maxBufferedBytes the largest body to buffer, in bytes (the cache's max object size)
     * @return the response, or a future failed with {@link UpstreamException} naming the hosts tried
     */
    public CompletableFuture<Fetched> exchange(List<Upstream> hosts, UpstreamRequest request, long maxBufferedBytes) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one)");
        }
        if (maxBufferedBytes < 0) {
            throw new IllegalArgumentException("maxBufferedBytes: " + maxBufferedBytes + " (expected: >= 0)");
        }
        CompletableFuture<Fetched> result = new CompletableFuture<>();
        long id = fetches.incrementAndGet();
        AtomicReference<ExchangeConsumer> current = new AtomicReference<>();
        inFlight.put(id, failure -> {
            result.completeExceptionally(failure);
            ExchangeConsumer consumer = current.get();
            if (consumer != null) {
                consumer.abort(failure);
            }
        });
        Runnable finished = () -> inFlight.remove(id);
        retryBudget.request();
        if (closed) {
            result.completeExceptionally(closedFailure());
        } else {
            attemptExchange(new Exchange(hosts, request, maxBufferedBytes, result, current, finished), 0, null, null);
        }
        return result.whenComplete((fetched, failure) -> {
            if (!(fetched instanceof Fetched.Streaming)) {
                finished.run(); // a streamed body is in flight until it ends
            }
        });
    }

    /** One call of {@link #exchange}: what every attempt of it shares. */
    private record Exchange(
            List<Upstream> hosts,
            UpstreamRequest request,
            long maxBufferedBytes,
            CompletableFuture<Fetched> result,
            AtomicReference<ExchangeConsumer> current,
            Runnable finished) {
        /** Whether the attempt at {@code index} may be followed by one on the next host. */
        boolean mayFailOver(int index) {
            return request.isIdempotent() && index + 1 < hosts.size();
        }

        List<URI> tried(int index) {
            return Upstream.uris(hosts.subList(0, index + 1));
        }
    }

    private static UpstreamException closedFailure() {
        return new UpstreamException(
                "upstream client closed before the fetch completed", false, new CancellationException("client closed"));
    }

    /**
     * Tries the host at {@code index}.
     *
     * @param previous the failure of the attempt before, if it failed without an answer
     * @param lastAnswer the last 5xx answer of an earlier attempt, relayed if every host fails
     */
    private void attemptExchange(
            Exchange call, int index, @Nullable Exception previous, Fetched.@Nullable Buffered lastAnswer) {
        CompletableFuture<Fetched> result = call.result();
        Upstream upstream = call.hosts().get(index);
        URI host = upstream.uri();
        long requestTime = clock.millis();
        AsyncRequestProducer producer;
        try {
            producer = requestProducer(call.request(), host);
        } catch (URISyntaxException e) {
            result.completeExceptionally(invalidAuthority(call.request(), e));
            return;
        }
        Upstream.Attempt attempt = upstream.begin();
        AtomicBoolean handedOut = new AtomicBoolean();
        Consumer<Fetched> onStreaming = streaming -> {
            if (streaming.status() >= 500 && call.mayFailOver(index) && retryBudget.tryRetry()) {
                ((Fetched.Streaming) streaming).body().cancel();
                attemptExchange(call, index + 1, null, lastAnswer);
                return;
            }
            handedOut.set(true);
            result.complete(streaming);
        };
        Runnable bodyFinished = () -> {
            if (handedOut.get()) {
                call.finished().run();
            }
        };
        ExchangeConsumer consumer = new ExchangeConsumer(
                call.maxBufferedBytes(),
                STREAM_WINDOW_BYTES,
                requestTime,
                clock,
                host,
                flow,
                status -> attempt.end(attempt.elapsedNanos(), status < 500, "status " + status),
                onStreaming,
                bodyFinished);
        call.current().set(consumer);
        try {
            HttpClientContext context = HttpClientContext.create();
            context.setRequestConfig(requestConfig);
            Future<Fetched> future = client.execute(
                    HttpHost.create(host), producer, consumer, null, context, new FutureCallback<Fetched>() {
                        @Override
                        public void completed(Fetched fetched) {
                            if (!(fetched instanceof Fetched.Buffered buffered)) {
                                return; // a streamed body was handed out (or failed over) at the head
                            }
                            if (buffered.status() >= 500 && call.mayFailOver(index) && retryBudget.tryRetry()) {
                                attemptExchange(call, index + 1, null, buffered);
                                return;
                            }
                            result.complete(buffered);
                        }

                        @Override
                        public void failed(Exception failure) {
                            if (consumer.isStreaming()) {
                                // The caller owns the body now: its sink gets the failure, no failover.
                                consumer.abort(midBodyFailure(host, failure));
                                return;
                            }
                            if (closed) {
                                attempt.abandon();
                            } else {
                                attempt.end(attempt.elapsedNanos(), false, reason(failure));
                            }
                            if (previous != null) {
                                failure.addSuppressed(previous);
                            }
                            if (!closed && call.mayFailOver(index) && retryBudget.tryRetry()) {
                                attemptExchange(call, index + 1, failure, lastAnswer);
                            } else if (lastAnswer != null && !closed) {
                                result.complete(lastAnswer);
                            } else {
                                result.completeExceptionally(new UpstreamException(
                                        describe(call.tried(index), failure), isTimeout(failure), failure));
                            }
                        }

                        @Override
                        public void cancelled() {
                            failed(new CancellationException("request cancelled"));
                        }
                    });
            consumer.bind(future);
        } catch (RuntimeException e) { // a closed client refuses new requests
            attempt.abandon();
            result.completeExceptionally(
                    closed ? closedFailure() : new UpstreamException(describe(call.tried(index), e), false, e));
        }
    }

    private AsyncRequestProducer requestProducer(UpstreamRequest request, URI host) throws URISyntaxException {
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method())
                .setScheme(host.getScheme())
                .setAuthority(URIAuthority.create(request.authority()))
                .setPath(basePath(host) + request.target());
        for (HeaderList.Field field : request.headers().fields()) {
            builder.addHeader(field.name(), field.value());
        }
        builder.addHeader("Via", via);
        for (HeaderList.Field field : extraHeaders.get().fields()) {
            builder.setHeader(field.name(), field.value());
        }
        if (request.body().length > 0) {
            builder.setEntity(request.body(), contentType(request.headers()));
        }
        return builder.build();
    }

    private static UpstreamException invalidAuthority(UpstreamRequest request, URISyntaxException e) {
        return new UpstreamException("invalid Host \"" + request.authority() + "\"", false, e);
    }

    /** The failure of a body already handed out, naming the host and the reason. */
    static UpstreamException midBodyFailure(URI host, Exception failure) {
        if (failure instanceof UpstreamException upstream) {
            return upstream;
        }
        return new UpstreamException(
                "upstream " + host + " failed mid-body: " + reason(failure), isTimeout(failure), failure);
    }

    private static ContentType contentType(HeaderList headers) {
        String value = headers.first("Content-Type");
        try {
            return value == null ? ContentType.APPLICATION_OCTET_STREAM : ContentType.parse(value);
        } catch (RuntimeException e) {
            return ContentType.APPLICATION_OCTET_STREAM;
        }
    }

    private static boolean isTimeout(Exception failure) {
        return failure instanceof SocketTimeoutException
                || failure instanceof TimeoutException
                || failure.getClass().getSimpleName().contains("Timeout");
    }

    private static String describe(List<URI> tried, Exception failure) {
        return "upstream " + tried + " failed: " + reason(failure);
    }

    private static String reason(Exception failure) {
        String message = failure.getMessage();
        return failure instanceof ConnectException
                ? "connection refused"
                : isTimeout(failure)
                        ? "timed out"
                        : message == null ? failure.getClass().getSimpleName() : message;
    }

    /**
     * Closes pooled connections at once; in-flight fetches and exchanges, streamed bodies included,
     * fail with {@link UpstreamException}, and so do later ones. (A graceful close would wait
     * seconds for in-flight exchanges, stalling a node's shutdown, and HttpClient completes none of
     * their callbacks.)
     */
    @Override
    public void close() {
        closed = true;
        client.close(CloseMode.IMMEDIATE);
        flow.close();
        for (Consumer<UpstreamException> fetch : inFlight.values()) {
            fetch.accept(closedFailure());
        }
    }

    /**
     * The path an upstream URL was configured with, without a trailing slash: requests for {@code
     * /a} to {@code http://origin/static} ask for {@code /static/a}.
     */
    private static String basePath(URI host) {
        String path = host.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
