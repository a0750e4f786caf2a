package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.store.HeaderList;
import java.net.URI;
import java.util.OptionalLong;

/**
 * What {@link UpstreamClient#exchange} got: a response whose body fitted the buffer limit, complete
 * in memory, or one whose body is larger (or of unknown length and grew past the limit), to be
 * relayed as it arrives.
 */
public sealed interface Fetched permits Fetched.Buffered, Fetched.Streaming {
    /** The status code. */
    int status();

    /** The response headers as received (hop-by-hop fields included). */
    HeaderList headers();

    /** The upstream host that answered. */
    URI host();

    /**
     * A complete response: no body, a {@code Content-Length} within the limit, or a body of unknown
     * length that ended within it.
     */
    record Buffered(UpstreamResponse response) implements Fetched {
        public Buffered {
            requireNonNull(response, "response");
        }

        @Override
        public int status() {
            return response.status();
        }

        @Override
        public HeaderList headers() {
            return response.headers();
        }

        @Override
        public URI host() {
            return response.host();
        }
    }

    /**
     * A response whose body is larger than the limit: the head, and the body still arriving. The
     * receiver owns {@link #body} and must start or cancel it.
     *
     * @param status the status code
     * @param headers the response headers as received (hop-by-hop fields included)
     * @param contentLength the body's length from {@code Content-Length}; empty when the upstream
     *     did not say (chunked), in which case the first bytes delivered are those buffered before
     *     the body passed the limit
     * @param requestTimeMillis when the request was sent (epoch ms; RFC 9111 request_time)
     * @param headTimeMillis when the response head arrived (epoch ms)
     * @param host the upstream host that answered
     * @param body the body, delivered with backpressure
     */
    record Streaming(
            int status,
            HeaderList headers,
            OptionalLong contentLength,
            long requestTimeMillis,
            long headTimeMillis,
            URI host,
            BodySource body)
            implements Fetched {
        public Streaming {
            requireNonNull(headers, "headers");
            requireNonNull(contentLength, "contentLength");
            requireNonNull(host, "host");
            requireNonNull(body, "body");
        }
    }
}
