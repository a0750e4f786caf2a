package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import dev.strata.config.StrataConfig;
import dev.strata.proxy.ratelimit.RateLimiter;
import dev.strata.proxy.waf.Waf;
import java.time.Clock;

/**
 * What an edge checks requests against after admission and before routing: its WAF, then its rate
 * limits ({@link WafHandler}, {@link RateLimitHandler}). Part of the {@link ProxyNode.Spec}, so a
 * reload swaps them with the rest. A shield has none ({@link #OFF}): shields trust their edges.
 *
 * @param waf the web application firewall
 * @param rateLimiter the rate limits and their buckets
 */
public record RequestFilters(Waf waf, RateLimiter rateLimiter) {
    /** No WAF, no rate limits. */
    public static final RequestFilters OFF = new RequestFilters(Waf.OFF, RateLimiter.OFF);

    public RequestFilters {
        requireNonNull(waf, "waf");
        requireNonNull(rateLimiter, "rateLimiter");
    }

    /** The {@code waf} and {@code rate-limits} sections of {@code config}, compiled; buckets on {@code clock}. */
    public static RequestFilters of(StrataConfig config, Clock clock) {
        return new RequestFilters(Waf.compile(config.waf()), RateLimiter.of(config.rateLimits(), clock));
    }

    /** These filters, keeping the buckets of {@code running} when the rate limits did not change. */
    RequestFilters keeping(RequestFilters running) {
        return new RequestFilters(waf, rateLimiter.keeping(running.rateLimiter()));
    }
}
