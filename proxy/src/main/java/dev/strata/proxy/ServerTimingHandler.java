package dev.strata.proxy;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.HttpString;

/**
 * Adds {@code Server-Timing} (W3C Server Timing) to every response as its head is written: {@code
 * cache;desc=HIT} (the {@code X-Cache} answered, when there is one), {@code upstream;dur=12.3} (the
 * milliseconds waited on the next hop, when it was asked) and {@code total;dur=15.0} (milliseconds
 * from the request's arrival to its response head). It replaces a {@code Server-Timing} from
 * upstream, so a client sees one node's account, never a mix of tiers. Runs on the I/O thread.
 */
final class ServerTimingHandler implements HttpHandler, ResponseCommitListener {
    static final HttpString SERVER_TIMING = new HttpString("Server-Timing");
    private static final HttpString X_CACHE = new HttpString("X-Cache");

    private final HttpHandler next;

    ServerTimingHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseCommitListener(this);
        next.handleRequest(exchange);
    }

    @Override
    public void beforeCommit(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(SERVER_TIMING, value(exchange));
    }

    private static String value(HttpServerExchange exchange) {
        StringBuilder value = new StringBuilder(64);
        String cache = exchange.getResponseHeaders().getFirst(X_CACHE);
        if (cache != null && isToken(cache)) {
            value.append("cache;desc=").append(cache).append(", ");
        }
        long upstream = Timings.upstreamNanos(exchange);
        if (upstream >= 0) {
            millis(value.append("upstream;dur="), upstream).append(", ");
        }
        return millis(value.append("total;dur="), Timings.sinceStart(exchange)).toString();
    }

    /** Milliseconds with one decimal: {@code 12.3}. */
    static StringBuilder millis(StringBuilder out, long nanos) {
        long tenths = (nanos + 50_000) / 100_000;
        return out.append(tenths / 10).append('.').append(tenths % 10);
    }

    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    @Override
    public String toString() {
        return "server timing";
    }
}
