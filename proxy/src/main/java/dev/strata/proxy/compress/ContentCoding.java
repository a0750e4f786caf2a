package dev.strata.proxy.compress;

/** The content codings the edge produces (RFC 9110 §8.4.1); the identity is their absence. */
public enum ContentCoding {
    /** Brotli (RFC 7932). */
    BR("br"),
    /** gzip (RFC 1952). */
    GZIP("gzip");

    private final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    /** The token in {@code Content-Encoding}, and the {@code encoding} tag of the meters. */
    public String token() {
        return token;
    }
}
