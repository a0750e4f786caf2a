package dev.strata.proxy;

import dev.strata.cache.store.HeaderList;
import dev.strata.upstream.BodySink;
import dev.strata.upstream.BodySource;
import dev.strata.upstream.Fetched;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Relays a response too large to store from upstream to the client as it arrives, so that a 2 GiB
 * download never sits in the heap (issue #3).
 *
 * <p>How: the upstream body ({@link BodySource}) hands chunks over on HttpClient's threads; they go
 * into a queue and a drain is scheduled on the exchange's I/O thread, which writes them to
 * Undertow's response channel with non-blocking writes. When the channel takes no more (the client
 * reads slower than the upstream sends), the drain stops and resumes writes with a write listener
 * that drains again once the socket is writable. The upstream is asked for more only as the channel
 * accepts bytes ({@link BodySource#request}), so at most the upstream client's window (256 KiB) waits
 * in the queue, HttpClient stops reading the upstream connection, and TCP pushes back on the
 * origin. An idle queue is flushed, so a slow upstream's bytes are not held in Undertow's buffer.
 *
 * <p>Endings: the upstream's end ends the exchange (Undertow flushes the rest and, for an unknown
 * length, writes the last chunk). An upstream failure mid-body closes the client's connection
 * without ending the message, so the client sees a truncated transfer (fewer bytes than {@code
 * Content-Length}, or no last chunk), never a short body that looks complete. A client that goes
 * away, or a failed write, cancels the upstream body, which closes that upstream connection. {@code
 * HEAD} and bodiless statuses send the head only and cancel the body.
 *
 * <p>Threads: every channel operation and all the drain's state belong to the exchange's I/O
 * thread; the other threads only queue chunks and set the upstream's outcome. Nothing blocks.
 */
final class StreamingRelay implements BodySink {
    private static final Logger log = LoggerFactory.getLogger(StreamingRelay.class);
    /** Bytes accepted by the channel before they are requested from upstream in one go. */
    private static final long REQUEST_BATCH = 64 * 1024;
    /** The upstream's outcome when it ended normally. */
    private static final Object END = new Object();

    private final HttpServerExchange exchange;
    private final BodySource source;
    private final URI host;
    private final Executor ioThread;
    private final Queue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /**
     * What the connection's close listener reaches: this relay until it finishes, then nothing, so
     * a keep-alive connection does not pin finished relays (listeners cannot be removed).
     */
    private final AtomicReference<@Nullable StreamingRelay> closeHook = new AtomicReference<>(this);
    /** {@link #END} or the upstream's failure; set once, after the last chunk was queued. */
    private volatile @Nullable Object outcome;

    // The I/O thread's.
    private @Nullable StreamSinkChannel channel;
    private @Nullable ByteBuffer current;
    private long unrequested;
    private long written;
    private boolean finished;

    private StreamingRelay(HttpServerExchange exchange, BodySource source, URI host) {
        this.exchange = exchange;
        this.source = source;
        this.host = host;
        this.ioThread = exchange.getIoThread();
    }

    /**
     * Sends {@code streaming} to the client with {@code headers}: adds them to the exchange's
     * response headers, then {@linkplain #relay(HttpServerExchange, Fetched.Streaming) relays}.
     *
     * @param headers the headers to send: the end-to-end ones ({@link Responses#relayable}) and the
     *     node's own ({@code X-Cache}, {@code X-Served-By}, {@code Age}); framing is added here
     */
    static void relay(HttpServerExchange exchange, Fetched.Streaming streaming, HeaderList headers) {
        if (!exchange.isInIoThread()) {
            onIoThreadOf(exchange, streaming, () -> relay(exchange, streaming, headers));
            return;
        }
        if (!exchange.isResponseStarted()) {
            HeaderMap out = exchange.getResponseHeaders();
            for (HeaderList.Field field : headers.fields()) {
                out.add(HttpString.tryFromString(field.name()), field.value());
            }
        }
        relay(exchange, streaming);
    }

    /**
     * Sends {@code streaming} to the client: its status, the headers the caller has already put on
     * the exchange, a {@code Content-Length} when the upstream gave one (else chunked framing), then
     * the body as it arrives. Takes over the body ({@link Fetched.Streaming#body}): it is always
     * started or cancelled.
     *
     * <p>Call it like {@link Responses#send}: on the exchange's I/O thread, from a handler (for
     * example one run by {@code exchange.dispatch(exchange.getIoThread(), handler)}), with the
     * exchange not yet answered; it returns at once and the exchange ends when the body has been
     * relayed. Called on another thread, it moves to the I/O thread itself.
     */
    static void relay(HttpServerExchange exchange, Fetched.Streaming streaming) {
        if (!exchange.isInIoThread()) {
            onIoThreadOf(exchange, streaming, () -> relay(exchange, streaming));
            return;
        }
        BodySource source = streaming.body();
        if (exchange.isResponseStarted() || exchange.isComplete()) {
            log.debug(
                    "{}: response already started; dropping the body from {}",
                    exchange.getRequestURI(),
                    streaming.host());
            source.cancel();
            return;
        }
        int status = streaming.status();
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        out.remove(Headers.TRANSFER_ENCODING);
        out.remove(Headers.CONTENT_LENGTH);
        if (status == 204 || status == 304 || status < 200) {
            source.cancel();
            exchange.endExchange();
            return;
        }
        streaming.contentLength().ifPresent(length -> out.put(Headers.CONTENT_LENGTH, length));
        if (exchange.getRequestMethod().equalToString("HEAD")) {
            if (streaming.contentLength().isEmpty()) {
                // The framing a GET would get; without it Undertow claims Content-Length: 0.
                out.put(Headers.TRANSFER_ENCODING, "chunked");
            }
            source.cancel();
            exchange.endExchange();
            return;
        }
        StreamingRelay relay = new StreamingRelay(exchange, source, streaming.host());
        // Keeps the exchange open when the calling handler returns, as the upstream fetch did.
        exchange.dispatch(SameThreadExecutor.INSTANCE, relay::start);
    }

    private static void onIoThreadOf(HttpServerExchange exchange, Fetched.Streaming streaming, Runnable task) {
        try {
            exchange.getIoThread().execute(task);
        } catch (RejectedExecutionException e) {
            streaming.body().cancel(); // the server is stopping
        }
    }

    private void start() {
        AtomicReference<@Nullable StreamingRelay> hook = closeHook;
        exchange.getConnection().addCloseListener(connection -> {
            StreamingRelay relay = hook.get();
            if (relay != null) {
                relay.onIoThread(relay::clientGone);
            }
        });
        source.start(this);
    }

    // The upstream's side: HttpClient's threads.

    @Override
    public void onData(ByteBuffer chunk) {
        queue.add(chunk);
        scheduleDrain();
    }

    @Override
    public void onEnd() {
        outcome = END;
        scheduleDrain();
    }

    @Override
    public void onError(Throwable failure) {
        outcome = failure;
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            onIoThread(this::drain);
        }
    }

    private void onIoThread(Runnable task) {
        try {
            ioThread.execute(task);
        } catch (RejectedExecutionException e) {
            source.cancel(); // the server is stopping: nowhere to write
        }
    }

    // The I/O thread's.

    private void drain() {
        drainScheduled.set(false);
        if (finished) {
            queue.clear();
            return;
        }
        StreamSinkChannel out = channel;
        if (out == null) {
            out = exchange.getResponseChannel();
            if (out == null) { // someone else answered: nothing sensible to add
                abort("the response channel was taken");
                return;
            }
            out.getWriteSetter().set(ready -> drain());
            channel = out;
        }
        try {
            while (true) {
                ByteBuffer chunk = current;
                if (chunk == null) {
                    Object end = outcome; // read before polling: every chunk was queued before it
                    chunk = queue.poll();
                    if (chunk == null) {
                        requestMore(true);
                        if (end == null) {
                            idle(out);
                        } else if (end == END) {
                            complete(out);
                        } else {
                            abort("upstream failed: " + ((Throwable) end).getMessage());
                        }
                        return;
                    }
                    current = chunk;
                }
                int n = out.write(chunk);
                written += n;
                unrequested += n;
                if (chunk.hasRemaining()) { // the client is behind: wait until it reads
                    requestMore(false);
                    out.resumeWrites();
                    return;
                }
                current = null;
                requestMore(false);
            }
        } catch (IOException e) {
            log.debug("{}: client went away after {} bytes: {}", exchange.getRequestURI(), written, e.getMessage());
            finish();
            source.cancel();
            IoUtils.safeClose(exchange.getConnection());
            exchange.endExchange();
        }
    }

    /** Passes the bytes the channel accepted on to the upstream as credit, in batches. */
    private void requestMore(boolean idle) {
        if (unrequested > 0 && (idle || unrequested >= REQUEST_BATCH)) {
            source.request(unrequested);
            unrequested = 0;
        }
    }

    /** Waiting for the upstream: push out what Undertow buffered, then sleep until data comes. */
    private void idle(StreamSinkChannel out) throws IOException {
        if (out.flush()) {
            out.suspendWrites();
        } else {
            out.resumeWrites(); // the listener drains, and so flushes, again
        }
    }

    private void complete(StreamSinkChannel out) {
        finish();
        log.debug("{}: relayed {} bytes from {}", exchange.getRequestURI(), written, host);
        out.getWriteSetter().set(null);
        out.suspendWrites();
        exchange.endExchange(); // Undertow flushes what is left and ends the message
    }

    /**
     * Ends the transfer so that the client cannot take it for complete: the connection closes
     * before the message's end (the last chunk, or the promised length), and the exchange ends.
     */
    private void abort(String reason) {
        finish();
        log.debug(
                "{}: closing the client connection after {} bytes from {}: {}",
                exchange.getRequestURI(),
                written,
                host,
                reason);
        source.cancel();
        IoUtils.safeClose(exchange.getConnection());
        exchange.endExchange();
    }

    private void clientGone() {
        if (!finished) {
            log.debug("{}: client connection closed after {} bytes", exchange.getRequestURI(), written);
            finish();
            source.cancel();
        }
    }

    private void finish() {
        finished = true;
        queue.clear();
        current = null;
        closeHook.set(null);
    }
}
