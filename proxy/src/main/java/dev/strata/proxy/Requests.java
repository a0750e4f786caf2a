package dev.strata.proxy;

import dev.strata.cache.lookup.RequestDirectives;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import dev.strata.upstream.HopByHop;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

    /**
     * The header fields a shared fill sends upstream (before the validators of an entry being
     * validated): the client's, without hop-by-hop, {@link #CONDITIONALS} and {@link #UNKEYED}
     * fields, with this hop added to {@code X-Forwarded-For}.
     *
     * <p>A variant's secondary key is computed over these fields, not the client's: what selects a
     * stored variant is exactly what the origin saw when it produced it, so a field a fill never
     * carries (say {@code X-Forwarded-Host} named in {@code Vary}) reads as absent and can neither
     * split the cache nor poison it. The fields a response nominates in {@code Vary} (say {@code
     * Accept-Encoding}, {@code Accept-Language}) are forwarded: they are part of the key.
     */
    static HeaderList fillHeaders(HttpServerExchange exchange) {
        return fillHeaders(exchange, headers(exchange));
    }

    /**
     * {@link #fillHeaders(HttpServerExchange)} from the request's fields, already read. On an edge
     * that compresses ({@link ProxyKeys#IDENTITY_FILL}) the client's {@code Accept-Encoding} is
     * replaced by {@code identity}: every client's fill is the same, and the edge encodes for each.
     */
    static HeaderList fillHeaders(HttpServerExchange exchange, HeaderList clientHeaders) {
        HeaderList fill = withForwardedFor(
                HopByHop.strip(clientHeaders).without(CONDITIONALS).without(UNKEYED), exchange);
        return exchange.getAttachment(ProxyKeys.IDENTITY_FILL) == null
                ? fill
                : fill.without(ACCEPT_ENCODING).plus(IDENTITY);
    }

    private static final Set<String> ACCEPT_ENCODING = Set.of("Accept-Encoding");

    /** What an edge that compresses asks upstream for: the identity, never a client's coding. */
    static final HeaderList IDENTITY = HeaderList.of("Accept-Encoding", "identity");

    /**
     * The values of a field in {@link #fillHeaders}, by name, for selecting a variant ({@link
     * dev.strata.cache.key.VaryKey}); the fields are read at the first call only, so a lookup of a
     * URL that does not vary costs nothing. For one lookup on one thread at a time.
     */
    static Function<String, List<String>> fillFields(HttpServerExchange exchange) {
        return new Function<>() {
            private @Nullable HeaderList fill;

            @Override
            public List<String> apply(String name) {
                HeaderList headers = fill;
                if (headers == null) {
                    headers = fillHeaders(exchange);
                    fill = headers;
                }
                return headers.all(name);
            }
        };
    }

    /**
     * {@code headers} with the client's address appended to {@code X-Forwarded-For} and, as an
     * element {@code for=…;proto=…}, to {@code Forwarded} (RFC 7239; an IPv6 address quoted in
     * brackets). Earlier hops' values are kept in front.
     */
    static HeaderList withForwardedFor(HeaderList headers, HttpServerExchange exchange) {
        InetAddress address = exchange.getSourceAddress().getAddress();
        String client = address.getHostAddress();
        String node = address instanceof Inet6Address ? "\"[" + client + "]\"" : client;
        String element = "for=" + node + ";proto=" + exchange.getRequestScheme();
        String previous = String.join(", ", headers.all("X-Forwarded-For"));
        String previousForwarded = String.join(", ", headers.all("Forwarded"));
        return headers.without(Set.of("X-Forwarded-For", "Forwarded"))
                .plus(HeaderList.of(
                        "X-Forwarded-For",
                        previous.isEmpty() ? client : previous + ", " + client,
                        "Forwarded",
                        previousForwarded.isEmpty() ? element : previousForwarded + ", " + element));
    }

    /** The fields of {@code headers} named in {@code lowerCaseNames}, in order. */
    static HeaderList only(HeaderList headers, List<String> lowerCaseNames) {
        List<HeaderList.Field> kept = new ArrayList<>();
        for (HeaderList.Field field : headers.fields()) {
            if (lowerCaseNames.contains(field.name().toLowerCase(Locale.ROOT))) {
                kept.add(field);
            }
        }
        return new HeaderList(kept);
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
