/**
 * The static asset origin that demos and tests put behind the CDN ({@code strata origin}): it
 * serves a directory over HTTP/1.1 with RFC 9110 validators, conditional requests and byte ranges,
 * and generates the sample site of {@code strata demo}.
 */
@NullMarked
package dev.strata.origin;

import org.jspecify.annotations.NullMarked;
