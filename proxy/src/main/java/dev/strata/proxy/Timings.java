package dev.strata.proxy;

import io.undertow.server.HttpServerExchange;

/**
 * The times an exchange reports in the access log and {@code Server-Timing}: how long it waited on
 * the next hop, and how long it has taken since Undertow parsed its request (the listener records
 * that start, {@code UndertowOptions.RECORD_REQUEST_START_TIME}). For the exchange's own thread.
 */
final class Timings {
    private Timings() {}

    /**
     * Adds {@code nanos} to the time the exchange waited on the next hop: from sending a request
     * upstream until its response was complete, or for a body streamed through until its head
     * arrived. A request that fetched twice (a 304 for another representation) waited the sum.
     */
    static void addUpstream(HttpServerExchange exchange, long nanos) {
        Long before = exchange.getAttachment(ProxyKeys.UPSTREAM_NANOS);
        exchange.putAttachment(ProxyKeys.UPSTREAM_NANOS, (before == null ? 0 : before) + Math.max(0, nanos));
    }

    /** Nanoseconds the exchange waited on the next hop; -1 when it asked none. */
    static long upstreamNanos(HttpServerExchange exchange) {
        Long nanos = exchange.getAttachment(ProxyKeys.UPSTREAM_NANOS);
        return nanos == null ? -1 : nanos;
    }

    /** Nanoseconds since the request was parsed; 0 when the listener does not record its start. */
    static long sinceStart(HttpServerExchange exchange) {
        long start = exchange.getRequestStartTime();
        return start == -1 ? 0 : Math.max(0, System.nanoTime() - start);
    }
}
