package dev.strata.proxy;

import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.lookup.CacheStatusField;
import dev.strata.cache.lookup.ClientConditionals;
import dev.strata.cache.range.RangeResult;
import dev.strata.cache.store.Body;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.upstream.HopByHop;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writing responses to the client: stored or fetched responses with the cache's own headers (a
 * complete 200 answering the client's {@code Range} in part), and short plain-text errors. Runs on
 * the exchange's I/O thread and never blocks: bodies are in memory and written with Undertow's
 * asynchronous sender.
 */
final class Responses {
    /**
     * Headers a node sets itself; an upstream's values are never passed on or stored (a stored
     * {@code X-Request-Id} would answer later requests with the id of the one that filled it).
     */
    static final Set<String> OWN_HEADERS = Set.of("Age", "X-Cache", "X-Served-By", RequestIds.FIELD);

    private static final HttpString X_CACHE = new HttpString("X-Cache");
    private static final HttpString X_SERVED_BY = new HttpString("X-Served-By");
    private static final HttpString CACHE_STATUS = new HttpString("Cache-Status");

    private final String nodeName;
    private final boolean clientFacing;
    private final String hitPrefix;
    private final Rejections rejections;

    /**
     * @param nodeName this node's name, in {@code X-Served-By} and {@code Cache-Status}
     * @param clientFacing whether clients are this node's peers (an edge): fields targeted at CDN
     *     caches ({@code CDN-Cache-Control}, {@code Surrogate-Control}) and the surrogate keys a
     *     purge can name ({@code Surrogate-Key}, {@code Cache-Tag}) are removed before them, while
     *     a shield passes them on to the edges of its own CDN (RFC 9213 §2), which index them too
     * @param rejections counts the requests refused with {@link #reject}
     */
    Responses(String nodeName, boolean clientFacing, Rejections rejections) {
        this.nodeName = nodeName;
        this.clientFacing = clientFacing;
        this.hitPrefix = CacheStatusField.hitPrefix(nodeName);
        this.rejections = rejections;
    }

    /** The headers of an upstream response as they are stored and relayed. */
    static HeaderList relayable(HeaderList upstreamHeaders) {
        return HopByHop.strip(upstreamHeaders).without(OWN_HEADERS);
    }

    /**
     * The fields of an upstream 304 to refresh a stored entry with: hop-by-hop fields and the
     * upstream's own node fields removed, {@code Age} kept (the refresh computes the new age).
     */
    static HeaderList refreshing(HeaderList headersOf304) {
        return HopByHop.strip(headersOf304).without(NODE_FIELDS);
    }

    private static final Set<String> NODE_FIELDS = Set.of("X-Cache", "X-Served-By", RequestIds.FIELD);

    /** A {@code Cache-Status} member naming this node. */
    CacheStatusField.Builder cacheStatus() {
        return CacheStatusField.builder(nodeName);
    }

    /**
     * Sends a response whose body is complete. A 200 to GET or HEAD answers the client's {@code
     * Range} from it (see {@link #sendRangeable}); every other response is sent as it is.
     *
     * @param headers end-to-end headers (see {@link #relayable}); an upstream's {@code
     *     Cache-Status} among them is kept and ours appended after it (RFC 9211 §2)
     * @param body the complete body
     * @param age the response's current age, or null to send none
     * @param cacheStatusMember this node's {@code Cache-Status} member
     */
    void send(
            HttpServerExchange exchange,
            int status,
            HeaderList headers,
            Body body,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        if (status == 200 && Requests.isCacheableMethod(exchange)) {
            sendRangeable(exchange, headers, body, cacheStatus, age, cacheStatusMember);
            return;
        }
        head(exchange, status, headers, cacheStatus, age, cacheStatusMember);
        boolean noBody = status == 204 || status == 304 || status < 200;
        if (noBody) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length());
        sendBody(exchange, body.view());
    }

    /**
     * Sends a complete 200 to GET or HEAD, answering the client's {@code Range} and {@code If-Range}
     * from it ({@link RangeResult#decide}): the whole body with {@code Accept-Ranges: bytes}, 206 with
     * one range and {@code Content-Range}, 206 {@code multipart/byteranges}, or 416 with {@code
     * Content-Range: bytes *}{@code /length}. The cache's status, {@code Age} and {@code
     * Cache-Status} are those of the whole response; HEAD ignores {@code Range} (RFC 9110 §14.2) and
     * gets the 200's header fields without a body. Parts are views of the body, never copies.
     */
    private void sendRangeable(
            HttpServerExchange exchange,
            HeaderList headers,
            Body body,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        // Range is defined for GET only (RFC 9110 §14.2): a HEAD with Range gets the plain 200 head.
        RangeResult answer = exchange.getRequestMethod().equalToString("GET")
                        && exchange.getRequestHeaders().contains(Headers.RANGE)
                ? RangeResult.decide(Requests.headers(exchange), 200, headers, body.length())
                : new RangeResult.Full();
        if (answer instanceof RangeResult.Unsatisfiable unsatisfiable) {
            byte[] text = "416 Range Not Satisfiable\n".getBytes(StandardCharsets.UTF_8);
            List<HeaderList.Field> fields = new ArrayList<>(List.of(
                    new HeaderList.Field("Content-Range", unsatisfiable.contentRange()),
                    new HeaderList.Field("Content-Type", "text/plain; charset=utf-8"),
                    new HeaderList.Field("Cache-Control", "no-store")));
            for (HeaderList.Field field : headers.fields()) {
                // A fill's cookie still reaches the client that fetched it (never stored).
                if (Requests.PER_CLIENT_RESPONSE_FIELDS.stream().anyMatch(field.name()::equalsIgnoreCase)) {
                    fields.add(field);
                }
            }
            head(exchange, 416, new HeaderList(fields), cacheStatus, age, cacheStatusMember);
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, text.length);
            sendBody(exchange, ByteBuffer.wrap(text));
            return;
        }
        int status = answer instanceof RangeResult.Full ? 200 : 206;
        head(exchange, status, headers, cacheStatus, age, cacheStatusMember);
        HeaderMap out = exchange.getResponseHeaders();
        out.put(Headers.ACCEPT_RANGES, "bytes");
        if (answer instanceof RangeResult.Single part) {
            out.put(Headers.CONTENT_RANGE, part.contentRange());
            out.put(Headers.CONTENT_LENGTH, part.range().length());
            sendBody(exchange, part.body(body));
        } else if (answer instanceof RangeResult.Multipart multipart) {
            out.remove(Headers.CONTENT_RANGE);
            out.put(Headers.CONTENT_TYPE, multipart.contentType());
            out.put(Headers.CONTENT_LENGTH, multipart.contentLength());
            sendBody(exchange, multipart.body(body));
        } else {
            out.put(Headers.CONTENT_LENGTH, decimal(body.length()));
            sendBody(exchange, body.view());
        }
    }

    /** Sends the framed body, or ends the exchange without it for HEAD. */
    private static void sendBody(HttpServerExchange exchange, ByteBuffer... body) {
        if (exchange.getRequestMethod().equalToString("HEAD")) {
            exchange.endExchange();
        } else if (body.length == 1) {
            exchange.getResponseSender().send(body[0]);
        } else {
            exchange.getResponseSender().send(body);
        }
    }

    /**
     * Sets the status and headers of a response without framing or body (see {@link #send}); for
     * a body that follows by other means, such as {@link StreamingRelay}.
     */
    void head(
            HttpServerExchange exchange,
            int status,
            HeaderList headers,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        PreparedHead prepared = prepared(headers);
        HttpString[] names = prepared.names;
        String[] values = prepared.values;
        for (int i = 0; i < names.length; i++) {
            out.add(names[i], values[i]);
        }
        if (age != null) {
            out.put(Headers.AGE, decimal(age.getSeconds()));
        }
        out.put(X_CACHE, cacheStatus.name());
        exchange.putAttachment(ProxyKeys.CACHE_STATUS, cacheStatus);
        out.put(X_SERVED_BY, nodeName);
        out.put(
                CACHE_STATUS,
                prepared.cacheStatusPrefix.isEmpty()
                        ? cacheStatusMember
                        : prepared.cacheStatusPrefix + cacheStatusMember);
    }

    /**
     * A response's header fields as this node writes them, made once per stored response rather
     * than per hit: names as Undertow's {@link HttpString}s, fields targeted at CDN caches dropped
     * before clients, and the upstream's {@code Cache-Status} members ready for ours to follow.
     * Immutable.
     */
    static final class PreparedHead {
        final boolean clientFacing;
        final HttpString[] names;
        final String[] values;
        /** The upstream's members and {@code ", "}, or empty when it sent none. */
        final String cacheStatusPrefix;

        private PreparedHead(HeaderList headers, boolean clientFacing) {
            this.clientFacing = clientFacing;
            List<HttpString> names = new ArrayList<>(headers.fields().size());
            List<String> values = new ArrayList<>(headers.fields().size());
            List<String> upstreamStatus = new ArrayList<>(1);
            for (HeaderList.Field field : headers.fields()) {
                if (field.name().equalsIgnoreCase("Cache-Status")) {
                    upstreamStatus.add(field.value());
                } else if (!(clientFacing && isTargeted(field.name()))
                        // This request's id is set already; an entry stored by an older version may hold one.
                        && !field.name().equalsIgnoreCase(RequestIds.FIELD)) {
                    names.add(HttpString.tryFromString(field.name()));
                    values.add(field.value());
                }
            }
            this.names = names.toArray(new HttpString[0]);
            this.values = values.toArray(new String[0]);
            this.cacheStatusPrefix = CacheStatusField.appendToLines(upstreamStatus, "");
        }
    }

    private PreparedHead prepared(HeaderList headers) {
        PreparedHead head = headers.prepared(PreparedHead.class, list -> new PreparedHead(list, clientFacing));
        return head.clientFacing == clientFacing ? head : new PreparedHead(headers, clientFacing);
    }

    /** Decimal text of small counts (ages, lengths) without formatting each time. */
    private static final String[] DECIMALS = new String[4096];

    static {
        for (int i = 0; i < DECIMALS.length; i++) {
            DECIMALS[i] = Integer.toString(i);
        }
    }

    static String decimal(long value) {
        return value >= 0 && value < DECIMALS.length ? DECIMALS[(int) value] : Long.toString(value);
    }

    /** This node's {@code Cache-Status} member for a plain hit with {@code remaining} freshness. */
    String hitMember(Duration remaining) {
        return hitPrefix + CacheStatusField.ttlSeconds(remaining);
    }

    /**
     * Answers from a stored response, honouring the client's own conditional fields (RFC 9110
     * §13.2.2): 304 with the validators and caching fields, 412, or the stored response — in part
     * when it is a 200 and the client sent {@code Range} (see {@link #send}); preconditions are
     * evaluated first, as §13.2.2 orders.
     */
    void sendStored(
            HttpServerExchange exchange,
            CachedResponse stored,
            CacheStatus cacheStatus,
            Duration age,
            String cacheStatusMember) {
        ClientConditionals.Outcome outcome = Requests.hasConditionals(exchange)
                ? ClientConditionals.evaluate(
                        Requests.headers(exchange), exchange.getRequestMethod().toString(), stored)
                : ClientConditionals.Outcome.PROCEED;
        switch (outcome) {
            case NOT_MODIFIED -> send(
                    exchange,
                    304,
                    ClientConditionals.notModifiedHeaders(stored),
                    NO_BODY,
                    cacheStatus,
                    age,
                    cacheStatusMember);
            case PRECONDITION_FAILED -> error(exchange, 412, "Precondition Failed");
            case PROCEED -> send(
                    exchange, stored.status(), stored.headers(), stored.body(), cacheStatus, age, cacheStatusMember);
        }
    }

    private static final Body NO_BODY = Body.empty();

    /** Surrogate keys: stored with the entry (purges by tag judge them), never shown to clients. */
    static final Set<String> SURROGATE_KEY_FIELDS = Set.of("Surrogate-Key", "Cache-Tag");

    private static boolean isTargeted(String name) {
        for (String surrogate : SURROGATE_KEY_FIELDS) {
            if (surrogate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        for (String targeted : Freshness.TARGETED_FIELDS) {
            if (targeted.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a request the node will not serve, counted by {@code reason}: an {@link #error}. */
    void reject(HttpServerExchange exchange, Rejections.Reason reason, int status, String text) {
        rejections.count(reason);
        error(exchange, status, text);
    }

    /** Sends a short plain-text error that names the reason; never a stack trace. */
    void error(HttpServerExchange exchange, int status, String reason) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(status);
        HeaderMap out = exchange.getResponseHeaders();
        out.put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.put(Headers.CACHE_CONTROL, "no-store");
        out.put(X_SERVED_BY, nodeName);
        byte[] body = (status + " " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        out.put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
