/**
 * The edge's rate limits: token buckets (as the generic cell rate algorithm, one atomic word each)
 * per client, per header value or per route, kept in bounded Caffeine caches, compiled from {@code
 * rate-limits} in the configuration into a {@link dev.strata.proxy.ratelimit.RateLimiter}.
 */
@NullMarked
package dev.strata.proxy.ratelimit;

import org.jspecify.annotations.NullMarked;
