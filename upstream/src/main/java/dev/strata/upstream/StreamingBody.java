package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BodySource} of a streamed response: HttpClient's reactor thread {@linkplain #offer
 * offers} chunks, the sink takes them, and credit decides how far HttpClient may read ahead.
 *
 * <p>Credit: the sink is allowed {@code window} bytes plus all it has requested; HttpClient's
 * {@link CapacityChannel} asks for more each time its own window runs out, and gets {@code allowed
 * - delivered} if that is positive. Otherwise the body is stalled: HttpClient stops reading the
 * socket (TCP then pushes back on the sender) until a {@link #request} grants the difference from
 * the flow-control thread. HttpClient may deliver what is already in its 8 KiB input buffer after
 * its window closes, so delivered bytes pass the credit by at most that much.
 *
 * <p>Delivery: chunks and the end go into a lock-free queue; whichever thread signals drains it
 * (the classic work-in-progress counter), so sink calls are serialized without a lock. Before
 * {@link #start} the queue holds what arrived (no more than the credit).
 */
final class StreamingBody implements BodySource {
    private static final Logger log = LoggerFactory.getLogger(StreamingBody.class);
    /** The terminal signal of a body that ended normally. */
    private static final Object END = new Object();

    private final URI host;
    private final Executor flow;
    private final Runnable cancelExchange;
    private final Runnable onFinished;

    private final Queue<ByteBuffer> chunks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean grantQueued = new AtomicBoolean();
    /** {@link #END} or the failure; set once. */
    private final AtomicReference<@Nullable Object> terminal = new AtomicReference<>();

    private final AtomicLong allowed;
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean cancelled;
    private volatile @Nullable BodySink sink;

    /** Guarded by this; touched by the reactor and flow-control threads only. */
    private @Nullable CapacityChannel channel;

    private boolean stalled;

    /** Drain loop only. */
    private boolean terminated;

    /**
     * @param window bytes the sink accepts before its first request
     * @param flow where capacity grants and cancellation run
     * @param cancelExchange aborts the HttpClient exchange; runs on {@code flow}
     * @param onFinished runs once the body's outcome is settled: it ended, failed or was cancelled
     */
    StreamingBody(URI host, long window, Executor flow, Runnable cancelExchange, Runnable onFinished) {
        this.host = host;
        this.allowed = new AtomicLong(window);
        this.flow = flow;
        this.cancelExchange = cancelExchange;
        this.onFinished = onFinished;
    }

    // Upstream side: HttpClient's reactor thread, or the thread closing the client.

    /** Queues the next chunk; counts it against the credit even when cancelled. */
    void offer(ByteBuffer chunk) {
        delivered.addAndGet(chunk.remaining());
        if (cancelled || !chunk.hasRemaining()) {
            return;
        }
        chunks.add(chunk);
        drain();
    }

    void end() {
        if (terminal.compareAndSet(null, END)) {
            finish();
            drain();
        }
    }

    /** Ends the body with {@code failure} unless it already ended. */
    void fail(Throwable failure) {
        if (terminal.compareAndSet(null, failure)) {
            finish();
            drain();
        }
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** HttpClient's window is used up: grant what the sink allows, or stall. Reactor thread. */
    synchronized void updateCapacity(CapacityChannel capacity) throws IOException {
        if (cancelled) {
            throw new IOException("body from " + host + " cancelled by its receiver");
        }
        channel = capacity;
        long credit = allowed.get() - delivered.get();
        if (credit > 0 && !cancelled) {
            stalled = false;
            capacity.update(clamp(credit));
        } else {
            stalled = true;
        }
    }

    /**
     * Flow-control thread, after a cancel: lets a stalled HttpClient read again, so that its next
     * delivery fails the exchange (see {@link ExchangeConsumer#consume}) and closes the connection.
     */
    synchronized void wakeReader() {
        CapacityChannel capacity = channel;
        if (capacity != null) {
            try {
                capacity.update(1);
            } catch (IOException e) {
                // The connection is failing already.
            }
        }
    }

    // Sink side: any thread.

    @Override
    public void start(BodySink newSink) {
        requireNonNull(newSink, "sink");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("body from " + host + " already started");
        }
        sink = newSink;
        try {
            flow.execute(this::drain);
        } catch (RejectedExecutionException e) {
            drain(); // the client is closed: the body has failed and nothing here takes a lock
        }
    }

    @Override
    public void request(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: > 0)");
        }
        allowed.addAndGet(bytes);
        if (grantQueued.compareAndSet(false, true)) {
            try {
                flow.execute(this::grant);
            } catch (RejectedExecutionException e) {
                grantQueued.set(false); // the client is closed: nothing more to read
            }
        }
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        chunks.clear();
        try {
            flow.execute(cancelExchange);
        } catch (RejectedExecutionException e) {
            // The client is closed, and its connections with it.
        }
        finish();
    }

    /** Flow-control thread. */
    private void grant() {
        grantQueued.set(false);
        synchronized (this) {
            CapacityChannel capacity = channel;
            if (!stalled || capacity == null || cancelled) {
                return; // HttpClient still has window; it asks again when that runs out
            }
            long credit = allowed.get() - delivered.get();
            if (credit <= 0) {
                return;
            }
            stalled = false;
            try {
                capacity.update(clamp(credit));
            } catch (IOException e) {
                fail(new UpstreamException("upstream " + host + " failed mid-body: " + e.getMessage(), false, e));
            }
        }
    }

    private static int clamp(long credit) {
        return (int) Math.min(credit, Integer.MAX_VALUE);
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            BodySink current = sink;
            if (current != null && !terminated) {
                deliver(current);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void deliver(BodySink current) {
        try {
            while (!cancelled) {
                Object end = terminal.get(); // read before polling: every chunk precedes the end
                ByteBuffer chunk = chunks.poll();
                if (chunk != null) {
                    current.onData(chunk);
                } else {
                    if (end != null) {
                        terminated = true;
                        if (end instanceof Throwable failure) {
                            current.onError(failure);
                        } else {
                            current.onEnd();
                        }
                    }
                    return;
                }
            }
            chunks.clear();
        } catch (RuntimeException e) {
            log.warn("body sink failed; cancelling the body from {}", host, e);
            terminated = true;
            cancel();
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            onFinished.run();
        }
    }
}
