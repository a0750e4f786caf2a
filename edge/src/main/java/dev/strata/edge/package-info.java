/**
 * The client-facing edge server of a PoP: a caching proxy in front of the shield tier (or straight
 * in front of origins). Its chain (the proxy module's) adds the WAF and rate limits after admission
 * and compresses responses ({@code edge.compression}, docs/adr/0013-compression.md).
 */
@NullMarked
package dev.strata.edge;

import org.jspecify.annotations.NullMarked;
