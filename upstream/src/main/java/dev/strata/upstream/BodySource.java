package dev.strata.upstream;

/**
 * A response body that arrives while it is being relayed, with backpressure: the source delivers
 * no more than its initial window plus what the sink has {@linkplain #request requested}, and when
 * that credit is used up it stops reading the upstream connection, so TCP pushes back on the
 * sender. One sink only.
 *
 * <p>Each body must be {@linkplain #start started} or {@linkplain #cancel cancelled}; one that is
 * neither holds its upstream connection until the response timeout. Every method is non-blocking
 * and safe to call from any thread, including an Undertow I/O thread: the work that takes
 * HttpClient's locks runs on the upstream client's flow-control thread.
 */
public interface BodySource {
    /**
     * Subscribes {@code sink}; bytes that arrived before are delivered first.
     *
     * @throws IllegalStateException when the body was already started
     */
    void start(BodySink sink);

    /**
     * Lets the source deliver {@code bytes} more than it has so far been allowed: call it with the
     * number of bytes the sink has passed on (written to its destination).
     *
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    void request(long bytes);

    /**
     * Aborts the upstream exchange, closing its connection, and drops undelivered bytes. The sink
     * may still see a callback already under way, but no end or error after this returns. Idempotent;
     * a no-op once the body has ended.
     */
    void cancel();
}
