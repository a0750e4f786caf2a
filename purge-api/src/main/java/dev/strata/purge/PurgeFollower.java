package dev.strata.purge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an edge or a shield follows the purge log: it reads the entries after the last one it
 * applied ({@code GET /v1/log}, long-polled), hands each to its {@link Target} in order, and
 * records the sequence number after the entry is applied, so a crash re-applies an entry rather
 * than skipping it. Every log request names the node and its applied sequence, which is how the
 * API knows each node's progress.
 *
 * <p>{@link #catchUp} applies what the node missed while it was down, before it serves; {@link
 * #start} then follows the log on one thread of its own (never an I/O thread), retrying every
 * second while the API cannot be reached. A node whose applied sequence is older than the oldest
 * the log still keeps has missed purges for good: it soft-purges everything ({@link
 * Target#staleEverything}) and carries on from there.
 *
 * <p>An entry the target fails to apply (it throws, e.g. its disk cannot keep the markers) is not
 * recorded as applied: the follower stops there, reports its applied sequence as before, and tries
 * the same entry again every second, so a purge accepted is never skipped, neither now nor after a
 * restart.
 *
 * <p>Thread-safe. {@link #awaitApplied} lets a request wait, without a thread, until an entry is
 * applied (a shield answering an edge that has applied more, see docs/adr/0007-purge-log-delivery.md).
 */
public final class PurgeFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PurgeFollower.class);
    /** How long one log request is parked at the API: below its {@link PurgeApiServer#MAX_WAIT_MILLIS}. */
    static final long POLL_WAIT_MILLIS = 20_000;

    private static final Duration RETRY = Duration.ofSeconds(1);

    /**
     * What a node does with the log. Called on the follower's thread; methods may block. A method
     * that throws leaves the entry unapplied: it is tried again.
     */
    public interface Target {
        /** The last sequence applied, as kept with the cache (0 for none). */
        long appliedSeq();

        /** Applies one entry's purges. */
        void apply(PurgeEntry entry);

        /** Makes everything the node holds stale: it missed purges the log no longer has. */
        void staleEverything();

        /** Keeps {@code seq} as the last sequence applied. */
        void applied(long seq);
    }

    private final URI api;
    private final String nodeName;
    private final Target target;
    private final HttpClient http;
    private final ScheduledExecutorService thread;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> waiters = new ConcurrentSkipListMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object applying = new Object();
    private volatile long applied;
    private volatile long lastSeen;
    private volatile boolean answered;
    /** The entry that failed to apply last, until it is applied; 0 for none. Follower's thread. */
    private long failing;

    /** The target failed to apply entry {@code seq}. */
    private static final class ApplyFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long seq;

        ApplyFailed(long seq, RuntimeException cause) {
            super("entry " + seq + ": " + cause, cause);
            this.seq = seq;
        }
    }

    private PurgeFollower(URI api, String nodeName, Target target) {
        this.api = api;
        this.nodeName = nodeName;
        this.target = target;
        this.applied = target.appliedSeq();
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "purge-follower-" + nodeName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A follower of the log at {@code api} for the node {@code nodeName}; it does nothing until
     * {@link #catchUp} or {@link #start}.
     */
    public static PurgeFollower create(URI api, String nodeName, Target target) {
        return new PurgeFollower(api, nodeName, target);
    }

    /**
     * Applies every entry after the node's applied sequence, up to the log's last, on the calling
     * thread. Blocking.
     *
     * @param timeout how long to keep trying while the API cannot be reached
     * @return whether the node caught up; false when the API could not be reached in time
     */
    public boolean catchUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (!poll(0)) {
                    return true;
                }
            } catch (ApplyFailed e) {
                failed(e);
                if (deadline - System.nanoTime() < RETRY.toNanos() || !pause()) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                if (deadline - System.nanoTime() < RETRY.toNanos()) {
                    log.warn("{}: purge API {} unreachable while catching up: {}", nodeName, api, e.toString());
                    return false;
                }
                if (!pause()) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Waits before trying again; false when the follower was closed (or interrupted) meanwhile. */
    private boolean pause() {
        try {
            return !stopped.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Follows the log on the follower's own thread until {@link #close()}. */
    public void start() {
        thread.execute(this::follow);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the next poll reports its own failures
    private void follow() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            boolean more = poll(POLL_WAIT_MILLIS);
            thread.execute(this::follow);
            if (more) {
                log.debug("{}: more purge log entries after {}", nodeName, applied);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (ApplyFailed e) {
            failed(e);
            if (stopped.getCount() != 0) {
                thread.schedule(this::follow, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("{}: purge API {} unreachable, retrying in {}: {}", nodeName, api, RETRY, e.toString());
            if (stopped.getCount() != 0) {
                thread.schedule(this::follow, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Logs a failed entry once (then at debug level while the same entry keeps failing). */
    private void failed(ApplyFailed e) {
        if (e.seq != failing) {
            failing = e.seq;
            log.warn(
                    "{}: could not apply purge seq {}, not recording it as applied; retrying every {}: {}",
                    nodeName,
                    e.seq,
                    RETRY,
                    String.valueOf(e.getCause()));
        } else {
            log.debug("{}: purge seq {} failed again: {}", nodeName, e.seq, String.valueOf(e.getCause()));
        }
    }

    /**
     * One log request: applies what it returns.
     *
     * @return whether the log has more entries than were applied
     */
    private boolean poll(long waitMillis) throws IOException, InterruptedException {
        long after = applied;
        URI uri = api.resolve("/v1/log?after=" + after + "&wait=" + waitMillis + "&node="
                + URLEncoder.encode(nodeName, StandardCharsets.UTF_8) + "&applied=" + after);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(waitMillis + 10_000))
                .GET()
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        JsonNode page = PurgeJson.parse(response.body());
        long oldest = page.path("oldestSeq").asLong(1);
        long last = page.path("lastSeq").asLong(0);
        synchronized (applying) {
            if (applied != after) {
                return true; // another poll applied meanwhile (catch-up and follow never overlap)
            }
            if (applied < oldest - 1) {
                log.warn(
                        "{}: missed purges {} to {}, which the log no longer keeps; everything cached is stale now",
                        nodeName,
                        applied + 1,
                        oldest - 1);
                try {
                    target.staleEverything();
                    advance(oldest - 1);
                } catch (RuntimeException e) {
                    throw new ApplyFailed(oldest - 1, e);
                }
            }
            for (JsonNode item : page.path("entries")) {
                PurgeEntry entry = PurgeJson.fromJson(item);
                if (entry.seq() <= applied) {
                    continue;
                }
                try {
                    target.apply(entry);
                    advance(entry.seq());
                } catch (RuntimeException e) {
                    throw new ApplyFailed(entry.seq(), e);
                }
            }
        }
        lastSeen = last;
        answered = true;
        return applied < last;
    }

    private void advance(long seq) {
        target.applied(seq);
        applied = seq;
        if (failing != 0 && seq >= failing) {
            log.info("{}: applied purge seq {} after retrying", nodeName, failing);
            failing = 0;
        }
        Map<Long, CompletableFuture<Void>> done = waiters.headMap(seq, true);
        for (CompletableFuture<Void> waiter : List.copyOf(done.values())) {
            waiter.complete(null);
        }
        done.clear();
    }

    /** The last sequence applied on this node. */
    public long appliedSeq() {
        return applied;
    }

    /** The log's last sequence as of the last answer from the API (0 before any). */
    public long lastSeenSeq() {
        return lastSeen;
    }

    /** Whether the purge API has answered this follower at least once. */
    public boolean answered() {
        return answered;
    }

    /**
     * Whether the node has applied every entry the log had at the API's last answer; false until the
     * API first answers.
     */
    public boolean caughtUp() {
        return answered && applied >= lastSeen;
    }

    /** Completes once every entry up to {@code seq} is applied on this node (at once when it is). */
    public CompletableFuture<Void> awaitApplied(long seq) {
        if (applied >= seq) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = waiters.computeIfAbsent(seq, s -> new CompletableFuture<>());
        if (applied >= seq) { // applied while registering
            waiter.complete(null);
            waiters.remove(seq, waiter);
        }
        return waiter;
    }

    /** Stops following (interrupting a parked log request) and waits up to 5 s for the thread. */
    @Override
    public void close() {
        stopped.countDown();
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("{}: the purge follower did not stop in 5 s", nodeName);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
