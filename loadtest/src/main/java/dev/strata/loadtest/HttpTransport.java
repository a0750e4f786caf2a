package dev.strata.loadtest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Sends GET requests with HttpClient 5's async client: HTTP/1.1 only, keep-alive, a pool of
 * exactly {@code connections} connections served by a few I/O threads (non-blocking, so thousands
 * of connections need no thread each). Bodies are counted and dropped as they arrive, never
 * buffered. Thread-safe.
 */
public final class HttpTransport implements LoadRun.Transport, AutoCloseable {
    private static final int BUFFER_INCREMENT = 64 * 1024;

    private final CloseableHttpAsyncClient client;

    /**
     * Starts a client.
     *
     * @param connections the pool size, also per host
     * @param ioThreads the I/O reactor threads
     * @param timeout the longest wait to connect and for each response (head, then each read)
     */
    public HttpTransport(int connections, int ioThreads, Duration timeout) {
        client = startClient(connections, ioThreads, timeout);
    }

    /**
     * A started client as {@link HttpTransport} uses: HTTP/1.1 keep-alive, {@code connections}
     * connections (also per host), no retries, redirects, cookies or authentication caching.
     */
    static CloseableHttpAsyncClient startClient(int connections, int ioThreads, Duration timeout) {
        Timeout t = Timeout.of(timeout);
        PoolingAsyncClientConnectionManager pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(connections)
                .setMaxConnTotal(connections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(t)
                        .setSocketTimeout(t)
                        .build())
                .build();
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(ioThreads)
                        .setSoTimeout(t)
                        .setTcpNoDelay(true)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(t)
                        .setConnectionRequestTimeout(t)
                        .setRedirectsEnabled(false)
                        // HttpClient 5.4 otherwise offers "Upgrade: TLS/1.2" on plain http (HTTPCLIENT-2344).
                        .setProtocolUpgradeEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        client.start();
        return client;
    }

    @Override
    public CompletableFuture<Outcome> send(URI uri) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        SimpleRequestProducer request = SimpleRequestProducer.create(
                SimpleRequestBuilder.get(uri).setVersion(HttpVersion.HTTP_1_1).build());
        client.execute(request, new CountingConsumer(), null, null, new FutureCallback<Outcome>() {
            @Override
            public void completed(Outcome outcome) {
                result.complete(outcome);
            }

            @Override
            public void failed(Exception failure) {
                result.complete(Outcome.failed(kindOf(failure)));
            }

            @Override
            public void cancelled() {
                result.complete(Outcome.failed("cancelled"));
            }
        });
        return result;
    }

    /** A short, low-cardinality name for why a request got no response. */
    static String kindOf(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null
                && (t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        if (t instanceof ConnectException) {
            return "connect";
        }
        if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
            return "timeout";
        }
        if (t instanceof ConnectionClosedException) {
            return "closed";
        }
        if (t instanceof CancellationException) {
            return "cancelled";
        }
        if (t instanceof IOException) {
            return "io";
        }
        return "other";
    }

    /**
     * Stops the I/O reactor, waiting up to two seconds for it, then closes every connection;
     * requests still in flight fail. (Closing at once while the reactor is busy makes HttpClient
     * 5.4 log a harmless {@code ConcurrentModificationException}.)
     */
    @Override
    public void close() {
        stop(client);
    }

    /** Stops {@code client} as {@link #close()} says. */
    static void stop(CloseableHttpAsyncClient client) {
        client.initiateShutdown();
        try {
            client.awaitShutdown(TimeValue.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close(CloseMode.IMMEDIATE);
    }

    /** Keeps the status and {@code X-Cache}, counts the body and drops it. */
    private static final class CountingConsumer extends AbstractBinResponseConsumer<Outcome> {
        private int status;
        private @Nullable String xCache;
        private long bytes;

        @Override
        protected void start(HttpResponse response, @Nullable ContentType contentType) {
            status = response.getCode();
            Header header = response.getFirstHeader("X-Cache");
            xCache = header == null ? null : header.getValue();
        }

        @Override
        protected int capacityIncrement() {
            return BUFFER_INCREMENT;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) {
            bytes += src.remaining();
            src.position(src.limit());
        }

        @Override
        protected Outcome buildResult() {
            return Outcome.response(status, xCache, bytes);
        }

        @Override
        public void releaseResources() {}
    }
}
