package dev.strata.upstream;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.UpstreamConfig;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
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
 * <p>{@link #fetch} tries the hosts in the order given and moves to the next one when an
 * idempotent request fails to connect or times out; any HTTP response, 5xx included, is returned
 * as it is. Bodies are buffered up to a limit. Never blocks the caller: completion runs on
 * HttpClient's I/O threads, so callers hand heavy work elsewhere. Thread-safe.
 */
public final class UpstreamClient implements AutoCloseable {
    private final CloseableHttpAsyncClient client;
    private final Clock clock;
    private final String via;
    private final AtomicLong fetches = new AtomicLong();
    /** Fetches not yet complete, by number, so that {@link #close} can fail them: HttpClient does not. */
    private final Map<Long, CompletableFuture<UpstreamResponse>> inFlight = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /**
     * Starts a client.
     *
     * @param config timeouts and pool sizes
     * @param nodeName this node's name, sent in {@code Via}
     * @param clock the clock for request and response times
     */
    public UpstreamClient(UpstreamConfig config, String nodeName, Clock clock) {
        this.clock = clock;
        this.via = "1.1 " + nodeName + " (strata)";
        Timeout connect = Timeout.of(config.connectTimeout());
        Timeout response = Timeout.of(config.responseTimeout());
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(config.maxConnectionsPerHost())
                .setMaxConnTotal(config.maxConnectionsPerHost() * 16)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(response)
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .build();
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(connections)
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(Math.max(2, Runtime.getRuntime().availableProcessors()))
                        .setSoTimeout(response)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(response)
                        .setConnectionRequestTimeout(response)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        client.start();
    }

    /**
     * Sends {@code request} to the first host of {@code hosts}, failing over to the next on a
     * connection failure or timeout when the request is idempotent.
     *
     * @param maxBodyBytes a response body larger than this fails the fetch
     * @return the response, or a future failed with {@link UpstreamException} naming the hosts tried
     */
    public CompletableFuture<UpstreamResponse> fetch(List<URI> hosts, UpstreamRequest request, long maxBodyBytes) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one)");
        }
        CompletableFuture<UpstreamResponse> result = new CompletableFuture<>();
        long id = fetches.incrementAndGet();
        inFlight.put(id, result);
        if (closed) {
            result.completeExceptionally(closedFailure());
        } else {
            attempt(hosts, 0, request, maxBodyBytes, result, null);
        }
        return result.whenComplete((response, failure) -> inFlight.remove(id));
    }

    private static UpstreamException closedFailure() {
        return new UpstreamException(
                "upstream client closed before the fetch completed", false, new CancellationException("client closed"));
    }

    private void attempt(
            List<URI> hosts,
            int index,
            UpstreamRequest request,
            long maxBodyBytes,
            CompletableFuture<UpstreamResponse> result,
            @Nullable Exception previous) {
        URI host = hosts.get(index);
        long requestTime = clock.millis();
        URIAuthority authority;
        try {
            authority = URIAuthority.create(request.authority());
        } catch (URISyntaxException e) {
            result.completeExceptionally(
                    new UpstreamException("invalid Host \"" + request.authority() + "\"", false, e));
            return;
        }
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method())
                .setScheme(host.getScheme())
                .setAuthority(authority)
                .setPath(request.target());
        for (HeaderList.Field field : request.headers().fields()) {
            builder.addHeader(field.name(), field.value());
        }
        builder.addHeader("Via", via);
        if (request.body().length > 0) {
            builder.setEntity(request.body(), contentType(request.headers()));
        }
        try {
            Future<UpstreamResponse> unused = client.execute(
                    HttpHost.create(host),
                    builder.build(),
                    new BufferingResponseConsumer(maxBodyBytes, requestTime, clock, host),
                    null,
                    null,
                    new FutureCallback<UpstreamResponse>() {
                        @Override
                        public void completed(UpstreamResponse response) {
                            result.complete(response);
                        }

                        @Override
                        public void failed(Exception failure) {
                            if (previous != null) {
                                failure.addSuppressed(previous);
                            }
                            boolean retriable = !(failure instanceof BufferingResponseConsumer.TooLargeException)
                                    && request.isIdempotent();
                            if (retriable && index + 1 < hosts.size()) {
                                attempt(hosts, index + 1, request, maxBodyBytes, result, failure);
                            } else {
                                result.completeExceptionally(new UpstreamException(
                                        describe(hosts.subList(0, index + 1), failure), isTimeout(failure), failure));
                            }
                        }

                        @Override
                        public void cancelled() {
                            failed(new CancellationException("request cancelled"));
                        }
                    });
        } catch (RuntimeException e) { // a closed client refuses new requests
            result.completeExceptionally(
                    closed
                            ? closedFailure()
                            : new UpstreamException(describe(hosts.subList(0, index + 1), e), false, e));
        }
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
        String reason = failure instanceof ConnectException
                ? "connection refused"
                : isTimeout(failure)
                        ? "timed out"
                        : failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return "upstream " + tried + " failed: " + reason;
    }

    /**
     * Closes pooled connections at once; in-flight fetches fail with {@link UpstreamException}, and
     * so do later ones. (A graceful close would wait seconds for in-flight exchanges, stalling a
     * node's shutdown, and HttpClient completes none of their callbacks.)
     */
    @Override
    public void close() {
        closed = true;
        client.close(CloseMode.IMMEDIATE);
        for (CompletableFuture<UpstreamResponse> fetch : inFlight.values()) {
            fetch.completeExceptionally(closedFailure());
        }
    }
}
