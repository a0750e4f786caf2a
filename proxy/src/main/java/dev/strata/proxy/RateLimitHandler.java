package dev.strata.proxy;

import dev.strata.proxy.ratelimit.RateLimiter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;

/**
 * An edge's third step, after the WAF: the rate limits ({@link RateLimiter}). A request that finds a
 * bucket empty is answered 429 with {@code Retry-After} (whole seconds until that bucket has a
 * token, at least 1) and the limit's name and rate ({@code 429 Too Many Requests (rate limit "api":
 * 10 per second, bursts of 20, per client)}), counted ({@link RateLimitMeters}) and logged at most
 * once per limit per interval. The limits are read from the live spec once per request, so a
 * reload changes them for the next request; while they are off this costs one volatile read.
 * Runs on the I/O thread: a token bucket is one compare-and-set.
 */
final class RateLimitHandler implements HttpHandler {
    private final FilterStep step;
    private final RateLimitMeters meters;
    private final HttpHandler next;

    RateLimitHandler(FilterStep step, RateLimitMeters meters, HttpHandler next) {
        this.step = step;
        this.meters = meters;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RateLimiter limiter = step.filters().get().rateLimiter();
        if (!limiter.enabled()) {
            next.handleRequest(exchange);
            return;
        }
        RateLimiter.Rejection rejection = limiter.take(exchange, WafHandler.client(exchange));
        if (rejection == null) {
            next.handleRequest(exchange);
            return;
        }
        meters.count(rejection.limit());
        step.refusals()
                .refused(
                        exchange,
                        List.of("rate-limit:" + rejection.limit()),
                        "rate limit \"" + rejection.limit() + "\" refused",
                        rejection.description() + "; Retry-After " + rejection.retryAfterSeconds());
        exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Responses.decimal(rejection.retryAfterSeconds()));
        step.responses().error(exchange, 429, "Too Many Requests (" + rejection.reason() + ")");
    }

    @Override
    public String toString() {
        return "rate limit";
    }
}
