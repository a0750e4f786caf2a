package dev.strata.proxy;

import dev.strata.proxy.compress.CompressionPolicy;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.function.Supplier;

/**
 * On an edge that compresses, marks each request so that its fill asks upstream for the identity
 * ({@link ProxyKeys#IDENTITY_FILL}, {@link Requests#fillHeaders}): shields and origins then store and
 * send one representation for every client, and the edge encodes it for each client itself, once
 * per encoding ({@link Compression}). An upstream that encodes anyway is relayed as it answered.
 */
final class IdentityFillHandler implements HttpHandler {
    private final Supplier<CompressionPolicy> policy;
    private final HttpHandler next;

    /** @param policy the compression policy now, read once per request */
    IdentityFillHandler(Supplier<CompressionPolicy> policy, HttpHandler next) {
        this.policy = policy;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (policy.get().enabled()) {
            exchange.putAttachment(ProxyKeys.IDENTITY_FILL, Boolean.TRUE);
        }
        next.handleRequest(exchange);
    }

    @Override
    public String toString() {
        return "identity fill";
    }
}
