package dev.strata.upstream;

import java.nio.ByteBuffer;

/**
 * Receives a streamed response body from a {@link BodySource}: data, then exactly one of {@link
 * #onEnd} or {@link #onError}, unless the body was cancelled.
 *
 * <p>Calls are serialized (never concurrent, each visible to the next) and come from HttpClient's
 * reactor threads or the upstream client's own threads, never from the thread calling {@link
 * BodySource#start}, {@link BodySource#request} or {@link BodySource#cancel}; the one exception is
 * a body whose client was already closed, which reports that failure at once. Implementations must
 * not block: hand the work to the thread that owns the destination.
 */
public interface BodySink {
    /**
     * The next bytes of the body, in order.
     *
     * @param chunk a buffer the sink now owns (position to limit is the data); never empty
     */
    void onData(ByteBuffer chunk);

    /** The body ended; every byte was delivered. */
    void onEnd();

    /**
     * The body failed part-way, typically an {@link UpstreamException} (connection reset, timeout,
     * or the client closing); what was delivered is incomplete.
     */
    void onError(Throwable failure);
}
