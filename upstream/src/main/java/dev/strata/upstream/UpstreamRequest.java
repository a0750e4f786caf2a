package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.store.HeaderList;

/**
 * A request to send upstream.
 *
 * @param method the method, upper case
 * @param authority the {@code Host} to send (the client's, so the next hop picks the same site)
 * @param target the path and query
 * @param headers end-to-end headers to forward (hop-by-hop fields and {@code Host} already removed)
 * @param body the request body, empty for none
 */
@SuppressWarnings("ArrayRecordComponent") // a read-only body, never compared
public record UpstreamRequest(String method, String authority, String target, HeaderList headers, byte[] body) {
    public UpstreamRequest {
        requireNonNull(method, "method");
        requireNonNull(authority, "authority");
        requireNonNull(target, "target");
        requireNonNull(headers, "headers");
        requireNonNull(body, "body");
    }

    /** Whether a failed attempt may be repeated on another host (RFC 9110 §9.2.2). */
    public boolean isIdempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
