package dev.strata.proxy;

import dev.strata.proxy.accesslog.AccessLog;
import dev.strata.proxy.accesslog.AccessLogEntry;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * Records every request in the node's {@link AccessLog} when its exchange completes: the fields are
 * read from the finished exchange (status, bytes sent, {@code X-Cache}, the request id, the time
 * waited upstream) into an {@link AccessLogEntry} and queued; formatting and writing happen on the
 * log's own thread. The node's own health checks ({@link NodeHealthHandler}) are not recorded: an
 * edge checks each shield every two seconds. Cheap CPU work only: runs on the I/O thread.
 */
final class AccessLogHandler implements HttpHandler, ExchangeCompletionListener {
    private static final HttpString X_CACHE = new HttpString("X-Cache");

    private final AccessLog accessLog;
    private final String nodeName;
    private final Clock clock;
    private final HttpHandler next;

    AccessLogHandler(AccessLog accessLog, String nodeName, Clock clock, HttpHandler next) {
        this.accessLog = accessLog;
        this.nodeName = nodeName;
        this.clock = clock;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!NodeHealthHandler.isHealthCheck(exchange)) {
            exchange.addExchangeCompleteListener(this);
        }
        next.handleRequest(exchange);
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        try {
            accessLog.log(entry(exchange));
        } finally {
            nextListener.proceed();
        }
    }

    private AccessLogEntry entry(HttpServerExchange exchange) {
        HeaderMap request = exchange.getRequestHeaders();
        InetSocketAddress source = exchange.getSourceAddress();
        long bodyBytes = exchange.getResponseBytesSent();
        return new AccessLogEntry(
                clock.millis(),
                source == null ? "-" : source.getAddress().getHostAddress(),
                exchange.getRequestMethod().toString(),
                exchange.getRequestURI(),
                exchange.getQueryString(),
                exchange.getProtocol().toString(),
                exchange.getStatusCode(),
                bodyBytes,
                headBytes(exchange) + bodyBytes,
                request.getFirst(Headers.REFERER),
                request.getFirst(Headers.USER_AGENT),
                exchange.getResponseHeaders().getFirst(X_CACHE),
                Timings.upstreamNanos(exchange),
                Timings.sinceStart(exchange),
                nodeName,
                RequestIdHandler.of(exchange));
    }

    /** The length of the response head as HTTP/1.1 writes it: status line, fields, blank line. */
    private static long headBytes(HttpServerExchange exchange) {
        String reason = exchange.getReasonPhrase(); // null unless a handler set its own
        if (reason == null) {
            reason = StatusCodes.getReason(exchange.getStatusCode());
        }
        // "HTTP/1.1 200 OK\r\n", the fields, then "\r\n"
        long bytes = exchange.getProtocol().length() + 5 + reason.length() + 2 + 2;
        for (HeaderValues values : exchange.getResponseHeaders()) {
            int name = values.getHeaderName().length();
            for (int i = 0; i < values.size(); i++) {
                bytes += name + 2 + values.get(i).length() + 2;
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "access log";
    }
}
