package dev.strata.proxy;

import dev.strata.cache.fresh.CacheControl;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Reading what a client asked for. */
final class Requests {
    /**
     * Request fields that would turn a cache fill into a partial or empty answer; a cacheable miss
     * fetches the whole object without them and answers the client from it.
     */
    static final Set<String> CONDITIONALS =
            Set.of("If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range");

    /**
     * Request fields that could change an origin's answer without being in the cache key (host and
     * scheme overrides, URL rewrites, method overrides, forwarding metadata). A shared fill never
     * carries them, so no client can poison an entry through them; {@code Expect} is dropped
     * because the body, if any, is already read.
     */
    static final Set<String> UNKEYED = Set.of(
            "X-Forwarded-Host",
            "X-Forwarded-Proto",
            "X-Forwarded-Scheme",
            "X-Forwarded-Port",
            "X-Forwarded-Server",
            "X-Forwarded-Prefix",
            "X-Host",
            "X-Original-Host",
            "X-Original-URL",
            "X-Rewrite-URL",
            "Forwarded",
            "X-HTTP-Method-Override",
            "X-HTTP-Method",
            "X-Method-Override",
            "Expect");

    /** Response fields meant for one client only: sent on the fill that fetched them, never stored. */
    static final Set<String> PER_CLIENT_RESPONSE_FIELDS = Set.of("Set-Cookie", "Set-Cookie2");

    private Requests() {}

    /** Whether the method is safe (RFC 9110 §9.2.1): its responses never invalidate stored ones. */
    static boolean isSafeMethod(HttpServerExchange exchange) {
        return switch (exchange.getRequestMethod().toString()) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    /** The request's header fields, in order. */
    static HeaderList headers(HttpServerExchange exchange) {
        List<HeaderList.Field> fields = new ArrayList<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString();
            for (String value : values) {
                fields.add(new HeaderList.Field(name, value));
            }
        }
        return new HeaderList(fields);
    }

    /** The request path without scheme and authority, even for an absolute-form request target. */
    static String path(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        if (uri.startsWith("/")) {
            return uri;
        }
        int scheme = uri.indexOf("://");
        int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : uri.substring(slash);
    }

    /** Whether the method's responses can come from and go to the cache. */
    static boolean isCacheableMethod(HttpServerExchange exchange) {
        return exchange.getRequestMethod().equalToString("GET")
                || exchange.getRequestMethod().equalToString("HEAD");
    }

    /**
     * The most age the client accepts from a stored response (RFC 9111 §5.2.1): 0 for {@code
     * no-cache} (or {@code Pragma: no-cache} without {@code Cache-Control}), its {@code max-age},
     * else unlimited. A site may ignore the client's directives to protect its origin.
     */
    static OptionalLong maxAcceptedAgeSeconds(HttpServerExchange exchange, CachePolicyConfig policy) {
        if (policy.ignoreClientNoCache()) {
            return OptionalLong.empty();
        }
        HeaderValues lines = exchange.getRequestHeaders().get(Headers.CACHE_CONTROL);
        if (lines == null || lines.isEmpty()) {
            String pragma = exchange.getRequestHeaders().getFirst(Headers.PRAGMA);
            return pragma != null && pragma.contains("no-cache") ? OptionalLong.of(0) : OptionalLong.empty();
        }
        CacheControl cc = CacheControl.parse(lines);
        return cc.has("no-cache") ? OptionalLong.of(0) : cc.seconds("max-age");
    }
}
