package dev.strata.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What the access log records of one request, taken from the exchange when it completed. Cheap to
 * build on an I/O thread: it holds references to strings the exchange already has; all formatting
 * happens on the log's writer thread.
 *
 * @param timeMillis when the request completed (epoch ms)
 * @param client the client's address, {@code -} when unknown
 * @param method the request method
 * @param path the request target as received, without the query
 * @param query the query string without {@code ?}; empty for none
 * @param protocol the protocol, e.g. {@code HTTP/1.1}
 * @param status the response status code
 * @param bodyBytes bytes of the response body sent
 * @param bytesSent bytes of the response sent, head and body
 * @param referer the {@code Referer} request field, or null
 * @param userAgent the {@code User-Agent} request field, or null
 * @param cache the {@code X-Cache} status answered (HIT, MISS, …), or null for an error the node
 *     answered itself (admission limits, no site, upstream unreachable, …)
 * @param upstreamNanos time spent waiting on the next hop, in nanoseconds; -1 when it was not asked
 * @param totalNanos time from the request's arrival to its completion, in nanoseconds
 * @param node the name of the node that served it
 * @param requestId the request's {@code X-Request-Id}
 */
public record AccessLogEntry(
        long timeMillis,
        String client,
        String method,
        String path,
        String query,
        String protocol,
        int status,
        long bodyBytes,
        long bytesSent,
        @Nullable String referer,
        @Nullable String userAgent,
        @Nullable String cache,
        long upstreamNanos,
        long totalNanos,
        String node,
        String requestId) {
    public AccessLogEntry {
        requireNonNull(client, "client");
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        requireNonNull(protocol, "protocol");
        requireNonNull(node, "node");
        requireNonNull(requestId, "requestId");
    }
}
