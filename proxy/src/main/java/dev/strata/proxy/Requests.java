package dev.strata.proxy;

import dev.strata.cache.lookup.RequestDirectives;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.util.ArrayList;
import java.util.List;
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

    /** The request's caching directives, cheaply when it has none (the common case). */
    static RequestDirectives directives(HttpServerExchange exchange, CachePolicyConfig policy) {
        HeaderMap headers = exchange.getRequestHeaders();
        return headers.contains(Headers.CACHE_CONTROL) || headers.contains(Headers.PRAGMA)
                ? RequestDirectives.parse(headers(exchange), policy)
                : RequestDirectives.none();
    }

    /** Whether the request carries a conditional field a stored response must be checked against. */
    static boolean hasConditionals(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getRequestHeaders();
        return headers.contains(Headers.IF_NONE_MATCH)
                || headers.contains(Headers.IF_MODIFIED_SINCE)
                || headers.contains(Headers.IF_MATCH)
                || headers.contains(Headers.IF_UNMODIFIED_SINCE);
    }
}
