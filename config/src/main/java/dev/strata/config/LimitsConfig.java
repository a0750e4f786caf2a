package dev.strata.config;

import static java.util.Objects.requireNonNull;

/**
 * Admission limits on client requests; a request beyond them is answered 400, 413, 414 or 431
 * with a short reason and never reaches the cache or the upstream.
 *
 * @param maxUriLength longest request target
 * @param maxHeaderSize largest total size of the request line and headers
 * @param maxHeaders most request header fields
 * @param maxBodySize largest request body
 */
public record LimitsConfig(ByteSize maxUriLength, ByteSize maxHeaderSize, int maxHeaders, ByteSize maxBodySize) {
    public LimitsConfig {
        requireNonNull(maxUriLength, "maxUriLength");
        requireNonNull(maxHeaderSize, "maxHeaderSize");
        requireNonNull(maxBodySize, "maxBodySize");
        if (maxHeaders < 1) {
            throw new IllegalArgumentException("maxHeaders: " + maxHeaders + " (expected: >= 1)");
        }
    }

    /** 8KiB of URI, 32KiB and 100 fields of headers, a 10MiB body. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(ByteSize.ofKibibytes(8), ByteSize.ofKibibytes(32), 100, ByteSize.ofMebibytes(10));
    }
}
