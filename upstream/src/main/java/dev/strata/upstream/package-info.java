/**
 * Talking to the next hop: the HttpClient 5 async client (bodies buffered up to a limit, larger
 * ones streamed with backpressure), the order in which upstream hosts are tried (consistent hashing
 * for shields, round robin for origins) and the hop-by-hop rules of a proxy.
 */
@NullMarked
package dev.strata.upstream;

import org.jspecify.annotations.NullMarked;
