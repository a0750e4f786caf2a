/** Request collapsing: one fetch per URL at a time, the other requests for it waiting for its result. */
@NullMarked
package dev.strata.cache.collapse;

import org.jspecify.annotations.NullMarked;
