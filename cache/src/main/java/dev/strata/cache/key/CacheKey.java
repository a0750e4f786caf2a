package dev.strata.cache.key;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The identity of a stored response: normalized scheme, host, path and query.
 *
 * <p>Normalization: the scheme and host are lower-cased, and the port and a trailing dot are
 * removed from the host, so every PoP and every listener of a site shares one entry per object (a
 * site is a host name; see docs/adr/0003-cache-key-host-without-port.md). Because the port is not
 * in the key, it must not reach the upstream either: a proxy sends {@link #host()} as the upstream
 * {@code Host}, never the client's, so no client can make the origin build a response (absolute
 * URLs, redirects) for a port other clients will be served. The path is kept byte for byte
 * (origins may be case-sensitive);
 * the query is shaped by the site's {@link KeyPolicy}. Only these parts of a request are in the
 * key: no other request header is trusted to select a response (see docs/caching.md on cache
 * poisoning), except the request fields a response names in {@code Vary}, which select one of
 * the URL's variants through a {@link VaryKey}.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host name, lower case, without port or trailing dot
 * @param path the request path, starting with {@code /}
 * @param query the normalized query without {@code ?}; empty when there is none
 */
public record CacheKey(String scheme, String host, String path, String query) {
    public CacheKey {
        requireNonNull(scheme, "scheme");
        requireNonNull(host, "host");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: \"" + path + "\" (expected: starting with /)");
        }
        // NUL separates a key from its variants on disk (VaryKey#toBytes): no key may contain one,
        // so the variants of a URL are exactly the keys prefixed by its bytes and a NUL.
        if (scheme.indexOf('\0') >= 0
                || host.indexOf('\0') >= 0
                || path.indexOf('\0') >= 0
                || query.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "key: \"" + scheme + "://" + host + path + "\" (expected: no NUL character)");
        }
    }

    /**
     * The key of a request.
     *
     * @param scheme the scheme the client used
     * @param hostHeader the request's {@code Host} (may carry a port)
     * @param path the request path
     * @param rawQuery the query string without {@code ?}, empty when absent
     * @param policy the site's key policy
     */
    public static CacheKey from(String scheme, String hostHeader, String path, String rawQuery, KeyPolicy policy) {
        String normalizedScheme = scheme.toLowerCase(Locale.ROOT);
        return new CacheKey(
                normalizedScheme,
                normalizeHost(hostHeader),
                path.isEmpty() ? "/" : path,
                normalizeQuery(rawQuery, policy));
    }

    static String normalizeHost(String hostHeader) {
        // Requests carry few Host values, mostly the same one many times over: the last one's
        // normalized form saves the strings normalizing it would make per request.
        NormalizedHost last = lastHost;
        if (last.hostHeader().equals(hostHeader)) {
            return last.host();
        }
        String host = normalize(hostHeader);
        lastHost = new NormalizedHost(hostHeader, host);
        return host;
    }

    /** A {@code Host} value and its normalized form. */
    private record NormalizedHost(String hostHeader, String host) {}

    /** The last host normalized, on any thread: immutable, so a stale one is still right. */
    private static volatile NormalizedHost lastHost = new NormalizedHost("", "");

    private static String normalize(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        int portColon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
        if (portColon >= 0) {
            host = host.substring(0, portColon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    static String normalizeQuery(String rawQuery, KeyPolicy policy) {
        if (policy.ignoreQuery() || rawQuery.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String parameter : rawQuery.split("&", -1)) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!policy.drops(name)) {
                kept.add(parameter);
            }
        }
        if (policy.sortQuery()) {
            kept.sort(null);
        }
        return String.join("&", kept);
    }

    /** The key as one string, {@code scheme://host/path?query}: the form stored on disk. */
    public String asString() {
        return query.isEmpty() ? scheme + "://" + host + path : scheme + "://" + host + path + "?" + query;
    }

    /** The UTF-8 bytes of {@link #asString()}. */
    public byte[] toBytes() {
        return asString().getBytes(StandardCharsets.UTF_8);
    }

    /** The path and query to ask an upstream for. */
    public String pathAndQuery() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    @Override
    public String toString() {
        return asString();
    }
}
