/**
 * Cache keys: which requests share a stored response. A key is the normalized scheme, host, path
 * and query of a request, shaped by a site's {@link dev.strata.cache.key.KeyPolicy}.
 */
@NullMarked
package dev.strata.cache.key;

import org.jspecify.annotations.NullMarked;
