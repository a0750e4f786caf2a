/**
 * Byte ranges (RFC 9110 §14): parsing {@code Range}, and deciding how a complete representation
 * answers a range request (200, 206 with one part or {@code multipart/byteranges}, or 416),
 * {@code If-Range} included. Shared by the proxy, which answers from stored responses, and the
 * static origin, which answers from files. Pure functions of headers and lengths; no I/O.
 */
@NullMarked
package dev.strata.cache.range;

import org.jspecify.annotations.NullMarked;
