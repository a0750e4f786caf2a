package dev.strata.proxy;

import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.store.HeaderList;
import dev.strata.upstream.HopByHop;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writing responses to the client: stored or fetched responses with the cache's own headers, and
 * short plain-text errors. Runs on the exchange's I/O thread and never blocks: bodies are in memory
 * and written with Undertow's asynchronous sender.
 */
final class Responses {
    /** Headers a node sets itself; an upstream's values are never passed on or stored. */
    static final Set<String> OWN_HEADERS = Set.of("Age", "X-Cache", "X-Served-By");

    private static final HttpString X_CACHE = new HttpString("X-Cache");
    private static final HttpString X_SERVED_BY = new HttpString("X-Served-By");

    private final String nodeName;

    Responses(String nodeName) {
        this.nodeName = nodeName;
    }

    /** The headers of an upstream response as they are stored and relayed. */
    static HeaderList relayable(HeaderList upstreamHeaders) {
        return HopByHop.strip(upstreamHeaders).without(OWN_HEADERS);
    }

    /**
     * Sends a response.
     *
     * @param headers end-to-end headers (see {@link #relayable})
     * @param age the response's current age, or null to send none
     */
    void send(
            HttpServerExchange exchange,
            int status,
            HeaderList headers,
            byte[] body,
            CacheStatus cacheStatus,
            @Nullable Duration age) {
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        for (HeaderList.Field field : headers.fields()) {
            out.add(HttpString.tryFromString(field.name()), field.value());
        }
        if (age != null) {
            out.put(Headers.AGE, Long.toString(age.getSeconds()));
        }
        out.put(X_CACHE, cacheStatus.name());
        out.put(X_SERVED_BY, nodeName);
        boolean noBody = status == 204 || status == 304 || status < 200;
        if (noBody) {
            exchange.endExchange();
            return;
        }
        out.put(Headers.CONTENT_LENGTH, body.length);
        if (exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }

    /** Sends a short plain-text error that names the reason; never a stack trace. */
    void error(HttpServerExchange exchange, int status, String reason) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        out.put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.put(Headers.CACHE_CONTROL, "no-store");
        out.put(X_SERVED_BY, nodeName);
        byte[] body = (status + " " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        out.put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
