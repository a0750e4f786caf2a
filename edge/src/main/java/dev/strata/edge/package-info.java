/**
 * The client-facing edge server of a PoP: a caching proxy in front of the shield tier (or straight
 * in front of origins), where admission, WAF and rate limits will sit. It compresses responses
 * through the proxy module's chain ({@code edge.compression}, docs/adr/0013-compression.md).
 */
@NullMarked
package dev.strata.edge;

import org.jspecify.annotations.NullMarked;
