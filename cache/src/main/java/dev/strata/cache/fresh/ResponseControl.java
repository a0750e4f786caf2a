package dev.strata.cache.fresh;

import dev.strata.cache.store.HeaderList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cache directives of a response that govern <em>this</em> cache: a targeted field when one is
 * present and usable, else {@code Cache-Control}.
 *
 * <p>Our target list (RFC 9213 §2.1) is {@code CDN-Cache-Control}, then {@code Surrogate-Control}.
 * The first with a valid, non-empty value is selected and {@code Cache-Control} and {@code Expires}
 * are then ignored for freshness, stale windows and revalidation:
 *
 * <ul>
 *   <li>{@code CDN-Cache-Control} is a Dictionary Structured Field (RFC 9213 §2.2); one that does
 *       not parse, or is empty, is ignored as if absent. It carries the full set of directives,
 *       including storage ({@code no-store}, {@code private}, {@code public}): with it, a {@code
 *       Cache-Control: no-store} meant for browsers does not stop us storing (RFC 9213 §3).
 *   <li>{@code Surrogate-Control} (W3C Edge Architecture 1.0) predates RFC 9213; we read its
 *       {@code max-age} only (the part before a {@code +}; a directive targeted at a named device
 *       with {@code ;name} is not for us) and its {@code no-store}. It is selected only when it has
 *       one of them. Storage is still governed by {@code Cache-Control} as well: {@code
 *       private} and {@code no-store} there still prevent storing.
 * </ul>
 */
final class ResponseControl {
    /** Where the governing directives came from. */
    enum Source {
        CDN_CACHE_CONTROL,
        SURROGATE_CONTROL,
        CACHE_CONTROL
    }

    private final Source source;
    private final CacheControl directives;
    private final CacheControl cacheControl;

    private ResponseControl(Source source, CacheControl directives, CacheControl cacheControl) {
        this.source = source;
        this.directives = directives;
        this.cacheControl = cacheControl;
    }

    static ResponseControl of(HeaderList headers) {
        CacheControl cacheControl = CacheControl.parse(headers.all("Cache-Control"));
        List<String> cdn = headers.all("CDN-Cache-Control");
        if (!cdn.isEmpty()) {
            @Nullable Map<String, String> dictionary = StructuredDictionary.parse(cdn);
            if (dictionary != null && !dictionary.isEmpty()) {
                return new ResponseControl(Source.CDN_CACHE_CONTROL, CacheControl.of(dictionary), cacheControl);
            }
        }
        List<String> surrogate = headers.all("Surrogate-Control");
        if (!surrogate.isEmpty()) {
            CacheControl parsed = CacheControl.parse(surrogate);
            @Nullable String maxAge = parsed.value("max-age");
            Map<String, String> read = new HashMap<>();
            if (maxAge != null && maxAge.indexOf(';') < 0) {
                int plus = maxAge.indexOf('+');
                read.put("max-age", plus < 0 ? maxAge : maxAge.substring(0, plus));
            }
            if (parsed.has("no-store")) {
                read.put("no-store", "");
            }
            if (!read.isEmpty()) {
                return new ResponseControl(Source.SURROGATE_CONTROL, CacheControl.of(read), cacheControl);
            }
        }
        return new ResponseControl(Source.CACHE_CONTROL, cacheControl, cacheControl);
    }

    Source source() {
        return source;
    }

    /** The directives that set lifetime, stale windows and revalidation. */
    CacheControl directives() {
        return directives;
    }

    /** Whether {@code Expires} may set the lifetime: only when no targeted field is selected. */
    boolean usesExpires() {
        return source == Source.CACHE_CONTROL;
    }

    /** Whether the response must not be stored: {@code no-store} or {@code private}. */
    boolean forbidsStorage() {
        boolean selected = directives.has("no-store") || directives.has("private");
        if (source == Source.SURROGATE_CONTROL) {
            return selected || cacheControl.has("no-store") || cacheControl.has("private");
        }
        return selected;
    }

    /** The directives that decide storage questions ({@code public}, §3.5's exceptions). */
    CacheControl storageDirectives() {
        return source == Source.CDN_CACHE_CONTROL ? directives : cacheControl;
    }
}
