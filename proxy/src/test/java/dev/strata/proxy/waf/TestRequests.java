package dev.strata.proxy.waf;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/** Requests as Undertow's parser leaves them, without a connection: for judging, not serving. */
public final class TestRequests {
    private TestRequests() {}

    /**
     * A request for {@code target} (path and query as sent) with {@code headers} as name, value
     * pairs; {@code Host: www.example.com} unless given.
     */
    public static HttpServerExchange request(String method, String target, String... headers) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        exchange.setRequestMethod(new HttpString(method));
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        exchange.setRequestURI(path);
        exchange.setRequestPath(path);
        exchange.setQueryString(question < 0 ? "" : target.substring(question + 1));
        boolean host = false;
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getRequestHeaders().add(new HttpString(headers[i]), headers[i + 1]);
            host |= headers[i].equalsIgnoreCase("Host");
        }
        if (!host) {
            exchange.getRequestHeaders().add(new HttpString("Host"), "www.example.com");
        }
        return exchange;
    }
}
