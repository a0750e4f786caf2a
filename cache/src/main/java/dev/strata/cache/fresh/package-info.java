/**
 * HTTP caching rules of RFC 9111 and its extensions (RFC 5861 stale windows, RFC 9213 targeted
 * fields): which responses may be stored, how long they stay fresh, how they may be reused once
 * stale, and the age a cache reports.
 */
@NullMarked
package dev.strata.cache.fresh;

import org.jspecify.annotations.NullMarked;
