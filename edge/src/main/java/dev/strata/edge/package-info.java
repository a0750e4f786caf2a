/**
 * The client-facing edge server of a PoP: a caching proxy in front of the shield tier (or straight
 * in front of origins), where admission, WAF, rate limits and compression will sit.
 */
@NullMarked
package dev.strata.edge;

import org.jspecify.annotations.NullMarked;
