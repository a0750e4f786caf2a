package dev.strata.cache.lookup;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.store.HeaderList;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a non-error response to an unsafe method invalidates (RFC 9111 §4.4): the target URI, and
 * the URIs in the response's {@code Location} and {@code Content-Location} when they are on the
 * same host. A relative reference is resolved against the target URI (RFC 3986 §5); the host is
 * compared after cache-key normalization (case, port, trailing dot), so {@code
 * http://Example.com:8080/x} names the same site as a request to {@code example.com}. A reference on
 * another host is ignored, so that one site cannot make a cache drop another's entries; one that
 * does not parse is ignored too.
 */
public final class Invalidation {
    private static final List<String> LOCATION_FIELDS = List.of("Location", "Content-Location");

    private Invalidation() {}

    /**
     * The keys to invalidate, the target's first, without repeats.
     *
     * @param target the key of the request that was answered
     * @param responseHeaders the upstream response's header fields
     * @param policy the site's key policy, applied to the referenced URIs as to requests
     */
    public static List<CacheKey> targets(CacheKey target, HeaderList responseHeaders, KeyPolicy policy) {
        List<CacheKey> keys = new ArrayList<>(3);
        keys.add(target);
        for (String field : LOCATION_FIELDS) {
            String reference = responseHeaders.first(field);
            if (reference == null) {
                continue;
            }
            CacheKey referenced = resolve(target, reference.trim(), policy);
            if (referenced != null && referenced.host().equals(target.host()) && !keys.contains(referenced)) {
                keys.add(referenced);
            }
        }
        return List.copyOf(keys);
    }

    private static @Nullable CacheKey resolve(CacheKey target, String reference, KeyPolicy policy) {
        if (reference.isEmpty()) {
            return null;
        }
        try {
            URI base = new URI(target.scheme() + "://" + hostForUri(target.host()) + target.pathAndQuery());
            URI resolved = base.resolve(new URI(reference));
            String scheme = resolved.getScheme();
            String host = resolved.getHost();
            if (scheme == null
                    || host == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return null;
            }
            String path = resolved.getRawPath();
            String query = resolved.getRawQuery();
            return CacheKey.from(
                    scheme, host, path == null || path.isEmpty() ? "/" : path, query == null ? "" : query, policy);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
