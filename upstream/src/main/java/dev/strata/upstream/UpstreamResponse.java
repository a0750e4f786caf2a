package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.store.HeaderList;
import java.net.URI;

/**
 * A complete response from upstream.
 *
 * @param status the status code
 * @param headers the response headers as received (hop-by-hop fields included)
 * @param body the complete body
 * @param requestTimeMillis when the request was sent (epoch ms; RFC 9111 request_time)
 * @param responseTimeMillis when the response was complete (epoch ms; RFC 9111 response_time)
 * @param host the upstream host that answered
 */
@SuppressWarnings("ArrayRecordComponent") // a read-only body, never compared
public record UpstreamResponse(
        int status, HeaderList headers, byte[] body, long requestTimeMillis, long responseTimeMillis, URI host) {
    public UpstreamResponse {
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
        requireNonNull(host, "host");
    }
}
