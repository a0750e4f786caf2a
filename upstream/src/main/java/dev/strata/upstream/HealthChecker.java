package dev.strata.upstream;

import dev.strata.config.HealthCheckConfig;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active health checks of a node's {@link UpstreamPool}s and ends their ejections on time.
 *
 * <p>One daemon thread schedules; the checks themselves are asynchronous {@code GET}s on a small
 * HttpClient of their own (one I/O thread), so no check ever blocks a thread, an Undertow I/O thread
 * least of all, and a slow host cannot delay the checks of the others. Each check opens a new
 * connection ({@code Connection: close}), so a host whose listener is gone fails at once rather than
 * on a stale pooled connection. A check passes on a status below 400 within the pool's {@code
 * timeout}; a host whose previous check is still running is not checked again meanwhile.
 * Thread-safe.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final ScheduledThreadPoolExecutor scheduler;
    private final CloseableHttpAsyncClient client;
    /** The checks of each watched pool (empty for a pool without active checks). */
    private final Map<UpstreamPool, Optional<ScheduledFuture<?>>> tasks = new ConcurrentHashMap<>();

    private volatile boolean closed;

    private HealthChecker(ScheduledThreadPoolExecutor scheduler, CloseableHttpAsyncClient client) {
        this.scheduler = scheduler;
        this.client = client;
    }

    /**
     * Starts the scheduler thread and the checks' client.
     *
     * @param nodeName names the thread, {@code health-NODE}
     */
    public static HealthChecker start(String nodeName) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = Executors.defaultThreadFactory().newThread(runnable);
            thread.setName("health-" + nodeName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        CloseableHttpAsyncClient client = HopClients.builder(
                        PoolingAsyncClientConnectionManagerBuilder.create()
                                .setMaxConnPerRoute(4)
                                .setMaxConnTotal(256)
                                .setDefaultConnectionConfig(ConnectionConfig.custom()
                                        .setConnectTimeout(Timeout.ofSeconds(10))
                                        .setSocketTimeout(Timeout.ofSeconds(10))
                                        .build())
                                .build(),
                        IOReactorConfig.custom().setIoThreadCount(1).build(),
                        RequestConfig.custom())
                .build();
        client.start();
        return new HealthChecker(scheduler, client);
    }

    /**
     * Ends {@code pool}'s ejections on time from now on and, when its health checks are enabled,
     * checks each of its hosts every interval, the first time at once.
     */
    public void watch(UpstreamPool pool) {
        pool.schedule(scheduler);
        HealthCheckConfig config = pool.healthCheck();
        if (!config.enabled()) {
            tasks.put(pool, Optional.empty());
            return;
        }
        Map<Upstream, AtomicBoolean> running = new ConcurrentHashMap<>();
        long interval = config.interval().toNanos();
        tasks.put(
                pool,
                Optional.of(scheduler.scheduleWithFixedDelay(
                        () -> {
                            for (Upstream host : pool.upstreams()) {
                                AtomicBoolean busy = running.computeIfAbsent(host, h -> new AtomicBoolean());
                                if (busy.compareAndSet(false, true)) {
                                    check(host, config).whenComplete((failure, error) -> {
                                        busy.set(false);
                                        if (!closed && tasks.containsKey(pool)) {
                                            pool.checked(
                                                    host,
                                                    failure == null || failure.isEmpty(),
                                                    failure == null ? "" : failure);
                                        }
                                    });
                                }
                            }
                        },
                        0,
                        interval,
                        TimeUnit.NANOSECONDS)));
    }

    /**
     * Stops checking {@code pool} (a pool a reload removed): no check starts after this returns, and
     * the answer of one already running is dropped. Its hosts keep the state they had.
     */
    public void unwatch(UpstreamPool pool) {
        Optional<ScheduledFuture<?>> checks = tasks.remove(pool);
        if (checks != null) {
            checks.ifPresent(task -> task.cancel(false));
        }
    }

    /** The pools watched now. */
    public Set<UpstreamPool> watched() {
        return Set.copyOf(tasks.keySet());
    }

    /** One check: completes with "" when it passed, else with why it failed. Never fails itself. */
    CompletableFuture<String> check(Upstream host, HealthCheckConfig config) {
        URI uri = host.uri();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Future<Message<HttpResponse, Void>> exchange;
        try {
            exchange = client.execute(
                    AsyncRequestBuilder.get(uri.resolve(basePath(uri) + config.path()))
                            .addHeader("Connection", "close")
                            .addHeader("User-Agent", "strata-health-check")
                            .build(),
                    new BasicResponseConsumer<>(new DiscardingEntityConsumer<>()),
                    null,
                    new FutureCallback<>() {
                        @Override
                        public void completed(Message<HttpResponse, Void> response) {
                            int status = response.getHead().getCode();
                            outcome.complete(status < 400 ? "" : "status " + status);
                        }

                        @Override
                        public void failed(Exception e) {
                            outcome.complete(describe(e));
                        }

                        @Override
                        public void cancelled() {
                            outcome.complete(
                                    "timed out after " + config.timeout().toMillis() + "ms");
                        }
                    });
        } catch (RuntimeException e) { // closed
            outcome.complete(describe(e));
            return outcome;
        }
        return outcome.completeOnTimeout(
                        "timed out after " + config.timeout().toMillis() + "ms",
                        config.timeout().toNanos(),
                        TimeUnit.NANOSECONDS)
                .whenComplete((failure, error) -> {
                    if (!exchange.isDone()) {
                        exchange.cancel(true);
                    }
                });
    }

    private static String describe(Exception e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
            return "timed out";
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** The base path an upstream URL was configured with, without a trailing slash. */
    private static String basePath(URI host) {
        String path = host.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The thread that schedules checks and the ends of ejections. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Stops checking and closes the checks' connections at once. */
    @Override
    public void close() {
        closed = true;
        for (Optional<ScheduledFuture<?>> checks : tasks.values()) {
            checks.ifPresent(task -> task.cancel(false));
        }
        scheduler.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        log.debug("health checks stopped");
    }
}
