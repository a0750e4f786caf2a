package dev.strata.upstream;

import dev.strata.cache.store.HeaderList;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

/**
 * Receives one upstream response for {@link UpstreamClient#exchange} and decides at the head
 * whether its body is buffered or streamed:
 *
 * <ul>
 *   <li>no body, or a {@code Content-Length} of at most {@code maxBufferedBytes}: buffered; the
 *       exchange completes with {@link Fetched.Buffered} when the body has arrived;
 *   <li>a larger {@code Content-Length}: streamed at once; {@link Fetched.Streaming} is handed out
 *       at the head;
 *   <li>no length (chunked): buffered until it passes the limit, then streamed, the buffered chunks
 *       delivered first, so nothing is read twice and nothing is lost.
 * </ul>
 *
 * <p>HttpClient calls it on its reactor thread, one call at a time. HttpClient's own future
 * completes only when the body has ended, so that {@link Future#cancel} can still abort a body in
 * flight.
 */
final class ExchangeConsumer implements AsyncResponseConsumer<Fetched> {
    /** Capacity granted at a time while buffering (the limit, not the window, bounds the heap). */
    private static final int BUFFERING_INCREMENT = 64 * 1024;

    private final long maxBufferedBytes;
    private final long window;
    private final long requestTimeMillis;
    private final Clock clock;
    private final URI host;
    private final Executor flow;
    private final IntConsumer onHead;
    private final Consumer<Fetched> onStreaming;
    private final Runnable onBodyFinished;

    // Reactor thread only.
    private final List<byte[]> chunks = new ArrayList<>();
    private long bufferedBytes;
    private @Nullable HttpResponse head;
    private HeaderList headers = HeaderList.of();
    private long headTimeMillis;
    private @Nullable FutureCallback<Fetched> resultCallback;
    private Fetched.@Nullable Streaming streaming;

    /** Set once on the reactor thread when streaming starts. */
    private volatile @Nullable StreamingBody body;

    private volatile @Nullable Future<?> exchange;

    /**
     * @param window bytes a streamed body delivers before its sink requests more
     * @param onHead receives the status code when the head arrives (reactor thread)
     * @param onStreaming receives the streamed result at the head (reactor thread)
     * @param onBodyFinished runs once a streamed body's outcome is settled: ended, failed or cancelled
     */
    ExchangeConsumer(
            long maxBufferedBytes,
            long window,
            long requestTimeMillis,
            Clock clock,
            URI host,
            Executor flow,
            IntConsumer onHead,
            Consumer<Fetched> onStreaming,
            Runnable onBodyFinished) {
        this.maxBufferedBytes = maxBufferedBytes;
        this.window = window;
        this.requestTimeMillis = requestTimeMillis;
        this.clock = clock;
        this.host = host;
        this.flow = flow;
        this.onHead = onHead;
        this.onStreaming = onStreaming;
        this.onBodyFinished = onBodyFinished;
    }

    /** Attaches HttpClient's future for this exchange, to cancel it with the body. */
    void bind(Future<?> future) {
        exchange = future;
        StreamingBody current = body;
        if (current != null && current.isCancelled()) {
            try {
                flow.execute(this::cancelExchange); // cancelled before execute() returned
            } catch (RejectedExecutionException e) {
                // The client is closed, and its connections with it.
            }
        }
    }

    /** Whether a streamed result was handed out: the exchange can no longer fail over. */
    boolean isStreaming() {
        return body != null;
    }

    /** Fails a streamed body, if any (the client closed, or HttpClient failed the exchange). */
    void abort(UpstreamException failure) {
        StreamingBody current = body;
        if (current != null) {
            current.fail(failure);
        }
    }

    /**
     * Flow-control thread. Cancelling HttpClient's future closes the connection (mid-body, it
     * cannot be reused) when HttpClient wired the exchange into it; on a fresh connection HttpClient
     * 5.4 may have wired only the connect step, so the body also wakes the reader, whose next
     * delivery fails the exchange from {@link #consume} and with it the connection.
     */
    private void cancelExchange() {
        Future<?> future = exchange;
        if (future != null) {
            future.cancel(true);
        }
        StreamingBody current = body;
        if (current != null) {
            current.wakeReader();
        }
    }

    @Override
    public void consumeResponse(
            HttpResponse response,
            @Nullable EntityDetails entityDetails,
            @Nullable HttpContext context,
            FutureCallback<Fetched> callback) {
        head = response;
        headers = headersOf(response);
        headTimeMillis = clock.millis();
        resultCallback = callback;
        onHead.accept(response.getCode());
        if (entityDetails == null) {
            callback.completed(buffered(response, new byte[0]));
            return;
        }
        long length = entityDetails.getContentLength();
        if (length > maxBufferedBytes) {
            startStreaming(response, OptionalLong.of(length));
        }
    }

    @Override
    public void informationResponse(HttpResponse response, @Nullable HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        StreamingBody current = body;
        if (current != null) {
            current.updateCapacity(capacityChannel);
        } else {
            capacityChannel.update(BUFFERING_INCREMENT);
        }
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        StreamingBody streamed = body;
        if (streamed != null && streamed.isCancelled()) {
            throw new IOException("body from " + host + " cancelled by its receiver");
        }
        byte[] chunk = new byte[src.remaining()];
        src.get(chunk);
        StreamingBody current = body;
        if (current != null) {
            current.offer(ByteBuffer.wrap(chunk));
            return;
        }
        chunks.add(chunk);
        bufferedBytes += chunk.length;
        HttpResponse response = head;
        if (bufferedBytes > maxBufferedBytes && response != null) {
            startStreaming(response, OptionalLong.empty());
        }
    }

    private void startStreaming(HttpResponse response, OptionalLong contentLength) {
        StreamingBody started = new StreamingBody(host, window, flow, this::cancelExchange, onBodyFinished);
        for (byte[] chunk : chunks) {
            started.offer(ByteBuffer.wrap(chunk));
        }
        chunks.clear();
        body = started;
        Fetched.Streaming result = new Fetched.Streaming(
                response.getCode(), headers, contentLength, requestTimeMillis, headTimeMillis, host, started);
        streaming = result;
        onStreaming.accept(result);
    }

    @Override
    public void streamEnd(@Nullable List<? extends Header> trailers) {
        FutureCallback<Fetched> callback = resultCallback;
        HttpResponse response = head;
        if (callback == null || response == null) {
            return; // no head: HttpClient fails the exchange instead
        }
        StreamingBody current = body;
        Fetched.@Nullable Streaming result = streaming;
        if (current != null && result != null) {
            current.end();
            callback.completed(result);
            return;
        }
        byte[] all = new byte[Math.toIntExact(bufferedBytes)];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        chunks.clear();
        callback.completed(buffered(response, all));
    }

    @Override
    public void failed(Exception cause) {
        abort(UpstreamClient.midBodyFailure(host, cause));
    }

    @Override
    public void releaseResources() {
        chunks.clear();
    }

    private Fetched.Buffered buffered(HttpResponse response, byte[] bytes) {
        return new Fetched.Buffered(
                new UpstreamResponse(response.getCode(), headers, bytes, requestTimeMillis, clock.millis(), host));
    }

    static HeaderList headersOf(HttpResponse response) {
        List<HeaderList.Field> fields = new ArrayList<>();
        for (Header header : response.getHeaders()) {
            fields.add(new HeaderList.Field(header.getName(), header.getValue()));
        }
        return new HeaderList(fields);
    }
}
