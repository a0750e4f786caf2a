/**
 * Response compression at the edge: which content coding a client gets ({@link
 * dev.strata.proxy.compress.AcceptEncoding}, RFC 9110 §12.5.3), which responses may be compressed
 * and how their header fields change ({@link dev.strata.proxy.compress.CompressionPolicy}, {@link
 * dev.strata.proxy.compress.Negotiable}), and the encoders ({@link
 * dev.strata.proxy.compress.Compressor}: Brotli through Brotli4j, gzip through the JDK).
 */
@NullMarked
package dev.strata.proxy.compress;

import org.jspecify.annotations.NullMarked;
