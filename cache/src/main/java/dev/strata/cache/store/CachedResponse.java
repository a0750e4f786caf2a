package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.fresh.Freshness;
import java.time.Duration;

/**
 * A stored response: what the upstream answered, when it was stored and how fresh it is.
 *
 * <p>The body is shared, never copied and never changed: tiers and handlers read it through views
 * of their own ({@link Body#view}).
 *
 * @param status the response status
 * @param headers the end-to-end response headers as stored (hop-by-hop fields removed)
 * @param body the complete body, on the heap or (in the memory tier) in direct memory
 * @param storedAtMillis when the response was received (epoch ms): the RFC 9111 response_time
 * @param freshness its lifetime and the age it had when stored
 */
public record CachedResponse(int status, HeaderList headers, Body body, long storedAtMillis, Freshness freshness)
        implements StoredEntry {
    public CachedResponse {
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
        requireNonNull(freshness, "freshness");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100 to 999)");
        }
    }

    /** A response over a body array that the caller must not change afterwards (not copied). */
    public CachedResponse(int status, HeaderList headers, byte[] body, long storedAtMillis, Freshness freshness) {
        this(status, headers, Body.of(body), storedAtMillis, freshness);
    }

    /**
     * This response with its body in direct memory, where a socket write takes it without a copy:
     * itself when it already is there.
     *
     * @throws OutOfMemoryError when the JVM's direct memory is exhausted
     */
    public CachedResponse withDirectBody() {
        Body direct = body.toDirect();
        return direct == body ? this : new CachedResponse(status, headers, direct, storedAtMillis, freshness);
    }

    /** How long the response has been stored at {@code nowMillis}; never negative. */
    public Duration resident(long nowMillis) {
        return Duration.ofMillis(Math.max(0, nowMillis - storedAtMillis));
    }

    /** The current age (RFC 9111 §4.2.3) at {@code nowMillis}. */
    public Duration age(long nowMillis) {
        return freshness.currentAge(resident(nowMillis));
    }

    /**
     * The remaining freshness lifetime at {@code nowMillis}: lifetime minus current age, negative
     * once stale (the {@code ttl} of RFC 9211).
     */
    public Duration ttl(long nowMillis) {
        return freshness.lifetime().minus(age(nowMillis));
    }

    /** Whether it is fresh at {@code nowMillis}. */
    public boolean isFresh(long nowMillis) {
        return freshness.isFresh(resident(nowMillis));
    }

    @Override
    public long weight() {
        return 64L + body.length() + headers.weight();
    }
}
