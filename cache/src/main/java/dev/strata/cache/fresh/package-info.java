/**
 * HTTP caching rules of RFC 9111: which responses may be stored, how long they stay fresh, and the
 * age a cache reports.
 */
@NullMarked
package dev.strata.cache.fresh;

import org.jspecify.annotations.NullMarked;
