package dev.strata.proxy;

import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.lookup.CacheStatusField;
import dev.strata.cache.lookup.ClientConditionals;
import dev.strata.cache.range.RangeResult;
import dev.strata.cache.store.Body;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.EncodedBody;
import dev.strata.cache.store.HeaderList;
import dev.strata.proxy.compress.CompressionPolicy;
import dev.strata.proxy.compress.ContentCoding;
import dev.strata.proxy.compress.Negotiable;
import dev.strata.upstream.HopByHop;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Writing responses to the client: stored or fetched responses with the cache's own headers (a
 * complete 200 answering the client's {@code Range} in part), and short plain-text errors. Runs on
 * the exchange's I/O thread and never blocks: bodies are in memory and written with Undertow's
 * asynchronous sender.
 *
 * <p>On an edge that compresses ({@link Compression}), a {@code 200} of a compressible type is sent
 * in the coding the client prefers: a stored response's encoded variant from memory at once, or —
 * from disk or compressed for the first time — once it is ready, the exchange suspended meanwhile
 * (never a thread). Such responses carry {@code Vary: Accept-Encoding} in every coding, the identity
 * too; a range is answered from the identity ({@link Negotiable} has the fields of each coding).
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
    private final @Nullable Compression compression;
    /** The last hit member made, on any thread: immutable, so a stale one is still right for its ttl. */
    private volatile HitMember lastHit = new HitMember(Long.MIN_VALUE, "");

    /** A node that never compresses (a shield). */
    Responses(String nodeName, boolean clientFacing, Rejections rejections) {
        this(nodeName, clientFacing, rejections, null);
    }

    /**
     * @param nodeName this node's name, in {@code X-Served-By} and {@code Cache-Status}
     * @param clientFacing whether clients are this node's peers (an edge): fields targeted at CDN
     *     caches ({@code CDN-Cache-Control}, {@code Surrogate-Control}) and the surrogate keys a
     *     purge can name ({@code Surrogate-Key}, {@code Cache-Tag}) are removed before them, while
     *     a shield passes them on to the edges of its own CDN (RFC 9213 §2), which index them too
     * @param rejections counts the requests refused with {@link #reject}
     * @param compression how responses are compressed; null for never
     */
    Responses(String nodeName, boolean clientFacing, Rejections rejections, @Nullable Compression compression) {
        this.nodeName = nodeName;
        this.clientFacing = clientFacing;
        this.hitPrefix = CacheStatusField.hitPrefix(nodeName);
        this.rejections = rejections;
        this.compression = compression;
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
     * Sends a response that is not stored (PASS) and whose body is complete; a 200 of a compressible
     * type is compressed for the client on the fly (see {@link #sendPlain} for the rest).
     */
    void send(
            HttpServerExchange exchange,
            int status,
            HeaderList headers,
            Body body,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        deliver(exchange, status, headers, body, null, false, cacheStatus, age, cacheStatusMember);
    }

    /**
     * Sends a response just stored ({@code stored}) as this client gets it ({@code headers}: its
     * cookie included): in the coding it prefers, whose variant is stored beside {@code stored}.
     */
    void sendFilled(
            HttpServerExchange exchange,
            CachedResponse stored,
            HeaderList headers,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        deliver(exchange, stored.status(), headers, stored.body(), stored, false, cacheStatus, age, cacheStatusMember);
    }

    /**
     * Sends a response whose body is complete, without compressing it. A 200 to GET or HEAD answers
     * the client's {@code Range} from it (see {@link #sendRangeable}); every other response is sent as
     * it is.
     *
     * @param headers end-to-end headers (see {@link #relayable}); an upstream's {@code
     *     Cache-Status} among them is kept and ours appended after it (RFC 9211 §2)
     * @param body the complete body
     * @param age the response's current age, or null to send none
     * @param cacheStatusMember this node's {@code Cache-Status} member
     */
    private void sendPlain(
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
     * Sends a response in the coding the client prefers when the edge compresses it: a 200 whose
     * fields are {@linkplain Negotiable negotiable} and whose body is within the policy's sizes, to a
     * request that is not answered in part by a range. Otherwise, or for the identity, as it is (with
     * {@code Vary: Accept-Encoding} when negotiable).
     *
     * @param stored the stored response this is, whose encoded variants are used and kept; null for
     *     a response that is not stored, compressed on the fly
     * @param conditionals whether the client's conditionals are answered here from {@code stored}
     */
    private void deliver(
            HttpServerExchange exchange,
            int status,
            HeaderList headers,
            Body body,
            @Nullable CachedResponse stored,
            boolean conditionals,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        Compression encoder = compression;
        CompressionPolicy policy = encoder == null || status != 200 ? null : encoder.policy();
        Negotiable forms = policy == null || !policy.enabled() ? null : negotiable(headers, policy);
        if (encoder == null || policy == null || forms == null || !policy.sizeFits(body.length())) {
            plain(exchange, status, headers, body, stored, conditionals, cacheStatus, age, cacheStatusMember);
            return;
        }
        ContentCoding coding = encoder.select(exchange);
        if (coding == null || answersInPart(exchange, headers, body.length())) {
            encoder.meters().served(null);
            plain(exchange, status, forms.identity(), body, stored, conditionals, cacheStatus, age, cacheStatusMember);
            return;
        }
        HeaderList encodedHeaders = forms.encoded(coding);
        if (conditionals && stored != null && Requests.hasConditionals(exchange)) {
            // Validators and dates do not depend on the encoded bytes: answer before compressing.
            CachedResponse view =
                    new CachedResponse(200, encodedHeaders, stored.body(), stored.storedAtMillis(), stored.freshness());
            if (answerConditionals(exchange, view, cacheStatus, age, cacheStatusMember)) {
                return;
            }
        }
        Encoded send = (ex, encoded) -> {
            if (encoded == null || encoded.length() >= body.length()) {
                if (encoded != null) { // a full queue or a failed encoder was counted where it happened
                    encoder.meters().skipped(CompressionMeters.Skip.NOT_SMALLER);
                }
                encoder.meters().served(null);
                plain(ex, 200, forms.identity(), body, stored, conditionals, cacheStatus, age, cacheStatusMember);
                return;
            }
            encoder.meters().served(coding);
            head(ex, 200, encodedHeaders, cacheStatus, age, cacheStatusMember);
            ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, decimal(encoded.length()));
            sendBody(ex, encoded.view());
        };
        if (stored == null) {
            whenDone(
                    exchange,
                    encoder.compressed(body.toArray(), coding),
                    (ex, bytes) -> send.accept(ex, bytes == null ? null : Body.of(bytes)));
            return;
        }
        EncodedKey key = Compression.keyOf(exchange, stored, coding);
        EncodedBody inMemory = encoder.inMemory(key, stored);
        if (inMemory != null) {
            send.accept(exchange, inMemory.body());
            return;
        }
        whenDone(
                exchange,
                encoder.encoded(key, stored, coding),
                (ex, variant) ->
                        send.accept(ex, variant != null && variant.isEncodingOf(stored) ? variant.body() : null));
    }

    /** Sends a response (the identity) without compressing it, after the client's conditionals when asked. */
    private void plain(
            HttpServerExchange exchange,
            int status,
            HeaderList headers,
            Body body,
            @Nullable CachedResponse stored,
            boolean conditionals,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        if (conditionals && stored != null && Requests.hasConditionals(exchange)) {
            CachedResponse view = headers == stored.headers()
                    ? stored
                    : new CachedResponse(stored.status(), headers, body, stored.storedAtMillis(), stored.freshness());
            if (answerConditionals(exchange, view, cacheStatus, age, cacheStatusMember)) {
                return;
            }
        }
        sendPlain(exchange, status, headers, body, cacheStatus, age, cacheStatusMember);
    }

    /** What to send once an encoded body is ready: the bytes, or null for the identity. */
    @FunctionalInterface
    private interface Encoded extends BiConsumer<HttpServerExchange, @Nullable Body> {}

    /**
     * Runs {@code then} with what {@code future} gives: at once when it is done already (a body
     * compressed on this thread), else back on the exchange's I/O thread when it completes, the
     * exchange suspended meanwhile.
     */
    private static <T> void whenDone(
            HttpServerExchange exchange,
            CompletableFuture<@Nullable T> future,
            BiConsumer<HttpServerExchange, @Nullable T> then) {
        if (future.isDone()) {
            then.accept(exchange, future.getNow(null));
            return;
        }
        exchange.dispatch(
                SameThreadExecutor.INSTANCE,
                () -> future.whenComplete((value, failure) -> exchange.dispatch(
                        exchange.getIoThread(), ex -> then.accept(ex, failure == null ? value : null))));
    }

    /** Whether a GET's {@code Range} is answered in part (206 or 416), which is always from the identity. */
    private static boolean answersInPart(HttpServerExchange exchange, HeaderList headers, int length) {
        return exchange.getRequestMethod().equalToString("GET")
                && exchange.getRequestHeaders().contains(Headers.RANGE)
                && !(RangeResult.decide(Requests.headers(exchange), 200, headers, length) instanceof RangeResult.Full);
    }

    /** The forms of a response with {@code headers} under {@code policy}, made once per header list and policy. */
    private @Nullable Negotiable negotiable(HeaderList headers, CompressionPolicy policy) {
        PreparedHead head = prepared(headers);
        NegotiableForms made = head.negotiable;
        if (made == null || made.policy() != policy) {
            made = new NegotiableForms(policy, Negotiable.of(headers, policy));
            head.negotiable = made;
        }
        return made.forms();
    }

    /** What {@link Negotiable#of} gave for one policy. */
    private record NegotiableForms(CompressionPolicy policy, @Nullable Negotiable forms) {}

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
        /** The forms in each coding, for the compression policy last asked about; racy, and safe. */
        volatile @Nullable NegotiableForms negotiable;

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
        long ttl = CacheStatusField.ttlSeconds(remaining);
        // Hits on the hot objects within one second mostly share a ttl: keep the last member made.
        HitMember last = lastHit;
        if (last.ttl() == ttl) {
            return last.member();
        }
        String member = hitPrefix + ttl;
        lastHit = new HitMember(ttl, member);
        return member;
    }

    /** A hit's {@code Cache-Status} member for a ttl. */
    private record HitMember(long ttl, String member) {}

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
        deliver(
                exchange,
                stored.status(),
                stored.headers(),
                stored.body(),
                stored,
                true,
                cacheStatus,
                age,
                cacheStatusMember);
    }

    /**
     * Answers the client's conditionals from {@code stored} (in the form about to be sent): 304 or
     * 412, and true; false when the request proceeds.
     */
    private boolean answerConditionals(
            HttpServerExchange exchange,
            CachedResponse stored,
            CacheStatus cacheStatus,
            @Nullable Duration age,
            String cacheStatusMember) {
        ClientConditionals.Outcome outcome = ClientConditionals.evaluate(
                Requests.headers(exchange), exchange.getRequestMethod().toString(), stored);
        switch (outcome) {
            case NOT_MODIFIED -> sendPlain(
                    exchange,
                    304,
                    ClientConditionals.notModifiedHeaders(stored),
                    NO_BODY,
                    cacheStatus,
                    age,
                    cacheStatusMember);
            case PRECONDITION_FAILED -> error(exchange, 412, "Precondition Failed");
            case PROCEED -> {
                return false;
            }
        }
        return true;
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
