package dev.strata.proxy;

import dev.strata.proxy.waf.Waf;
import dev.strata.proxy.waf.WafVerdict;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * An edge's second step, after admission: the web application firewall ({@link Waf}). A request it
 * refuses is answered 403 with the rules that refused it ({@code 403 Forbidden (WAF:
 * sqli.union-select; anomaly score 5 >= 5)}), counted ({@link WafMeters}) and logged at most once
 * per rule per interval ({@link RefusalLog}); in detect mode it is counted and logged and goes on.
 * The WAF is read from the live spec once per request, so a reload turns it on, off or changes its
 * rules for the next request; while it is off this costs one volatile read. Cheap CPU work on
 * bounded input: runs on the I/O thread.
 */
final class WafHandler implements HttpHandler {
    private final FilterStep step;
    private final WafMeters meters;
    private final HttpHandler next;

    WafHandler(FilterStep step, WafMeters meters, HttpHandler next) {
        this.step = step;
        this.meters = meters;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Waf waf = step.filters().get().waf();
        if (!waf.enabled()) {
            next.handleRequest(exchange);
            return;
        }
        WafVerdict verdict = waf.check(exchange, client(exchange), Requests.path(exchange));
        if (!verdict.objected()) {
            next.handleRequest(exchange);
            return;
        }
        meters.count(verdict);
        String what = verdict.enforced() ? "WAF blocked" : "WAF detected (not blocked)";
        step.refusals().refused(exchange, verdict.rules(), what, verdict.reason());
        if (verdict.enforced()) {
            step.responses().error(exchange, 403, "Forbidden (WAF: " + verdict.reason() + ")");
            return;
        }
        next.handleRequest(exchange);
    }

    /** The peer's address: edges take clients directly or behind an L4 balancer, which keeps it. */
    static @Nullable InetAddress client(HttpServerExchange exchange) {
        InetSocketAddress source = exchange.getSourceAddress();
        return source == null ? null : source.getAddress();
    }

    /** The peer's address as text, for log lines. */
    static String clientText(HttpServerExchange exchange) {
        InetAddress client = client(exchange);
        return client == null ? "-" : client.getHostAddress();
    }

    @Override
    public String toString() {
        return "waf";
    }
}
