package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Response compression at the edge (docs/caching.md, "Compression"): a {@code 200} of a
 * compressible type is sent {@code br} or {@code gzip} as the client's {@code Accept-Encoding}
 * prefers, each encoding compressed once per stored response and kept in the cache beside it.
 * Shields never compress: edges ask them for the identity.
 *
 * @param enabled whether the edge compresses at all
 * @param types the media types compressed, lower case: {@code type/subtype}, {@code type/*} or
 *     {@code type/*+suffix} (say {@code application/*+json}); parameters of a response's {@code
 *     Content-Type} ({@code charset}) are ignored when matching
 * @param minSize smaller bodies are sent as they are (compression would save little)
 * @param maxSize larger bodies are sent as they are (they would hold a compression thread long);
 *     bodies streamed past {@code cache.max-object-size} are never compressed
 * @param brotliQuality the Brotli quality, 0 (fastest) to 11 (smallest)
 * @param gzipLevel the gzip (deflate) level, 1 (fastest) to 9 (smallest)
 */
public record CompressionConfig(
        boolean enabled, List<String> types, ByteSize minSize, ByteSize maxSize, int brotliQuality, int gzipLevel) {
    /**
     * Text, scripts, JSON and XML of any flavour, SVG, WebAssembly and the uncompressed font formats;
     * never formats that are compressed already (PNG, JPEG, WebP, AVIF, WOFF2, archives, media).
     */
    public static final List<String> DEFAULT_TYPES = List.of(
            "text/*",
            "application/javascript",
            "application/x-javascript",
            "application/ecmascript",
            "application/json",
            "application/*+json",
            "application/xml",
            "application/*+xml",
            "image/svg+xml",
            "image/x-icon",
            "image/vnd.microsoft.icon",
            "application/wasm",
            "font/ttf",
            "font/otf",
            "font/collection",
            "application/vnd.ms-fontobject",
            "application/x-font-ttf",
            "application/x-font-opentype");

    /** Below this, compression saves a few bytes and costs a thread hop: as nginx's common 256. */
    public static final ByteSize DEFAULT_MIN_SIZE = ByteSize.ofBytes(256);

    /** The default largest body compressed: as the default largest object kept in memory. */
    public static final ByteSize DEFAULT_MAX_SIZE = ByteSize.ofMebibytes(8);

    /** Each stored response is compressed once and served many times: measured in docs/benchmarks.md. */
    public static final int DEFAULT_BROTLI_QUALITY = 5;

    /** zlib's own default, nginx's usual setting. */
    public static final int DEFAULT_GZIP_LEVEL = 6;

    public CompressionConfig {
        types = List.copyOf(types);
        requireNonNull(minSize, "minSize");
        requireNonNull(maxSize, "maxSize");
        for (String type : types) {
            if (!MediaRanges.isValid(type)) {
                throw new IllegalArgumentException("types: " + type + " (expected: type/subtype, type/* or"
                        + " type/*+suffix in lower case, e.g. text/* or application/*+json)");
            }
        }
        if (maxSize.bytes() < minSize.bytes()) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected: >= min-size " + minSize + ")");
        }
        if (maxSize.bytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxSize: " + maxSize + " (expected: <= 2GiB)");
        }
        if (brotliQuality < 0 || brotliQuality > 11) {
            throw new IllegalArgumentException("brotliQuality: " + brotliQuality + " (expected: 0 to 11)");
        }
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzipLevel: " + gzipLevel + " (expected: 1 to 9)");
        }
    }

    /** On, with the default types, sizes and levels. */
    public static CompressionConfig defaults() {
        return new CompressionConfig(
                true, DEFAULT_TYPES, DEFAULT_MIN_SIZE, DEFAULT_MAX_SIZE, DEFAULT_BROTLI_QUALITY, DEFAULT_GZIP_LEVEL);
    }

    /** This configuration switched on or off. */
    public CompressionConfig withEnabled(boolean on) {
        return new CompressionConfig(on, types, minSize, maxSize, brotliQuality, gzipLevel);
    }
}
