/**
 * The caching reverse proxy that the edge and the shield both are: admission, routing by host,
 * the cache lookup in memory then on disk, the upstream fetch and the response, as an Undertow
 * handler chain, plus the lifecycle of such a node and its admin listener (health, metrics, status
 * page).
 */
@NullMarked
package dev.strata.proxy;

import org.jspecify.annotations.NullMarked;
