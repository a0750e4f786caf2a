package dev.strata.cache.fresh;

import dev.strata.cache.key.VaryKey;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;

/**
 * Whether a shared cache may store a response (RFC 9111 §3).
 *
 * <p>Stored: responses to GET with a final status that is cacheable by default or that carries an
 * explicit lifetime or {@code public}; never with {@code no-store} (request or response) or {@code
 * private}; a request with {@code Authorization} only when the response allows it (§3.5); {@code
 * Set-Cookie} responses only when the site allows it. A response with {@code Vary} is stored as a
 * variant under a secondary key ({@link dev.strata.cache.key.VaryKey}), except {@code Vary: *},
 * which no later request can match (RFC 9111 §4.1). Partial content is not stored.
 *
 * <p>The response directives are those that govern this cache (see {@link Freshness}): with a
 * usable {@code CDN-Cache-Control}, its {@code no-store}, {@code private}, {@code public}, {@code
 * s-maxage} and {@code must-revalidate} decide and {@code Cache-Control}'s are ignored (RFC 9213
 * §2.1; as in §3's example, {@code Cache-Control: no-store} with {@code CDN-Cache-Control:
 * max-age=600} is stored).
 * With {@code Surrogate-Control}, its {@code no-store} and {@code Cache-Control}'s {@code no-store}
 * and {@code private} all prevent storing.
 */
public final class Storability {
    private Storability() {}

    /** Whether the response to {@code method} may be stored. */
    public static boolean isStorable(
            String method, int status, HeaderList request, HeaderList response, CachePolicyConfig policy) {
        if (!method.equals("GET") || status < 200 || status == 206 || status == 304) {
            return false;
        }
        ResponseControl control = ResponseControl.of(response);
        CacheControl responseCc = control.storageDirectives();
        CacheControl requestCc = CacheControl.parse(request.all("Cache-Control"));
        if (control.forbidsStorage() || requestCc.has("no-store")) {
            return false;
        }
        if (request.contains("Authorization")
                && !(responseCc.has("public") || responseCc.has("s-maxage") || responseCc.has("must-revalidate"))) {
            return false;
        }
        if (response.contains("Set-Cookie") && !policy.storeSetCookie()) {
            return false;
        }
        if (VaryKey.isAny(VaryKey.fieldNames(response.all("Vary")))) {
            return false;
        }
        return Freshness.HEURISTICALLY_CACHEABLE.contains(status)
                || Freshness.hasExplicitLifetime(response)
                || responseCc.has("public");
    }
}
