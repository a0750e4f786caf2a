/**
 * What a cache does with a request for which it may hold a response: the one lookup decision
 * (hit, stale, validate, miss; RFC 9111 §4), what an unsafe request invalidates (§4.4), validation with the upstream (§4.3), the client's own
 * conditionals (RFC 9110 §13) and the {@code Cache-Status} it reports (RFC 9211). Pure functions of
 * headers and times; no I/O.
 */
@NullMarked
package dev.strata.cache.lookup;

import org.jspecify.annotations.NullMarked;
