/**
 * Talking to the next hop: the HttpClient 5 async client (bodies buffered up to a limit, larger
 * ones streamed with backpressure), the order in which upstream hosts are tried ({@link
 * dev.strata.upstream.Balancers}: round robin, weighted, least connections, least time, IP hash,
 * consistent hash with bounded loads), the health-checked pools they balance over ({@link
 * dev.strata.upstream.UpstreamPool}, {@link dev.strata.upstream.HealthChecker}: active checks,
 * outlier ejection, slow start) and the hop-by-hop rules of a proxy.
 */
@NullMarked
package dev.strata.upstream;

import org.jspecify.annotations.NullMarked;
