package dev.strata.proxy;

import dev.strata.cache.fresh.Storability;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.VaryKey;
import dev.strata.cache.lookup.Validators;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.upstream.UpstreamClient;
import dev.strata.upstream.UpstreamRequest;
import dev.strata.upstream.UpstreamResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background revalidation for stale-while-revalidate (RFC 5861 §3): while clients are answered
 * with the stale entry, one conditional request per stored entry refreshes it. A 304 that matches
 * updates the stored headers and freshness (RFC 9111 §4.3.4); a new storable response replaces the
 * entry; anything else (an error, an uncacheable answer) leaves the stale entry to its windows.
 *
 * <p>For a variant (RFC 9111 §4.1), the request carries the fields its {@code Vary} nominates, as
 * the request that selected it would send them upstream, so the origin answers for that variant
 * and the answer is stored under it; one revalidation runs per variant. Never blocks: the fetch is
 * asynchronous and the write goes through {@link CacheWriter}. Thread-safe.
 */
final class Revalidator {
    private static final Logger log = LoggerFactory.getLogger(Revalidator.class);
    private static final byte[] NO_BODY = new byte[0];

    private final UpstreamClient client;
    private final CacheWriter writer;
    private final long maxObjectBytes;
    /** Whether revalidations ask for the identity: on an edge that compresses ({@link Requests#IDENTITY}). */
    private final BooleanSupplier askIdentity;
    /** The keys ({@link CacheKey} or {@link VaryKey}) of the entries being revalidated. */
    private final Map<Object, Boolean> inFlight = new ConcurrentHashMap<>();

    Revalidator(UpstreamClient client, CacheWriter writer, long maxObjectBytes) {
        this(client, writer, maxObjectBytes, () -> false);
    }

    /**
     * @param askIdentity whether a revalidation asks for the identity ({@code Accept-Encoding:
     *     identity}), as the edge's fills do when it compresses: a 200 in an upstream's own coding
     *     must not replace an entry fetched as the identity
     */
    Revalidator(UpstreamClient client, CacheWriter writer, long maxObjectBytes, BooleanSupplier askIdentity) {
        this.client = client;
        this.writer = writer;
        this.maxObjectBytes = maxObjectBytes;
        this.askIdentity = askIdentity;
    }

    /**
     * Starts revalidating {@code stored} unless a revalidation of that entry is under way.
     *
     * @param fill the header fields a fill for the request that selected {@code stored} would send
     *     ({@link Requests#fillHeaders}); only those {@code stored}'s {@code Vary} names are sent
     * @param requestId the id of the request that found {@code stored} stale, sent along
     */
    void revalidate(Route route, CacheKey key, CachedResponse stored, HeaderList fill, String requestId) {
        List<String> fields = VaryKey.fieldNames(stored.headers().all("Vary"));
        boolean varies = !fields.isEmpty() && !VaryKey.isAny(fields);
        HeaderList nominated = varies ? Requests.only(fill, fields) : HeaderList.of();
        Object entryKey = varies ? VaryKey.of(key, fields, nominated::all) : key;
        if (inFlight.putIfAbsent(entryKey, Boolean.TRUE) != null) {
            return;
        }
        Route.Hop hop = route.hop(key, null);
        UpstreamRequest request = new UpstreamRequest(
                "GET",
                hop.host(),
                key.pathAndQuery(),
                RequestIds.onto(identityAsked(nominated).plus(Validators.conditionalRequestHeaders(stored)), requestId),
                NO_BODY);
        long generation = writer.generation(key);
        try {
            client.fetch(hop.upstreams(), request, maxObjectBytes).whenComplete((response, failure) -> {
                try {
                    apply(route, key, stored, nominated, response, generation);
                } finally {
                    inFlight.remove(entryKey);
                }
            });
        } catch (RuntimeException e) {
            inFlight.remove(entryKey);
            throw e;
        }
    }

    /** {@code nominated}, asking for the identity when this node does and they do not say otherwise. */
    private HeaderList identityAsked(HeaderList nominated) {
        return askIdentity.getAsBoolean() && !nominated.contains("Accept-Encoding")
                ? nominated.plus(Requests.IDENTITY)
                : nominated;
    }

    private void apply(
            Route route,
            CacheKey key,
            CachedResponse stored,
            HeaderList sentUpstream,
            @Nullable UpstreamResponse response,
            long generation) {
        if (response == null) {
            return; // the stale entry stays; its stale-if-error window decides what clients get
        }
        if (!writer.isCurrent(key, sentUpstream, stored)) {
            // Invalidated, refilled or evicted meanwhile: a late answer must not replace that.
            log.debug("background revalidation of {} finished after the entry changed; dropped", key);
        } else if (response.status() == 304 && Validators.matches(stored, response.headers())) {
            writer.storeRefreshed(
                    key,
                    sentUpstream,
                    HeaderList.of(),
                    CacheWriter.refreshed(stored, response, route.policy()),
                    route.policy(),
                    generation,
                    response.requestTimeMillis());
        } else if (Storability.isStorable(
                "GET", response.status(), HeaderList.of(), response.headers(), route.policy())) {
            writer.store(
                    key,
                    sentUpstream,
                    CacheWriter.toStored(response, route.policy()),
                    generation,
                    response.requestTimeMillis());
        } else {
            log.debug("background revalidation of {} got {}; the stale entry stays", key, response.status());
        }
    }

    /** Whether a revalidation of {@code key}'s entry (one that does not vary) is under way, for tests. */
    boolean isRevalidating(CacheKey key) {
        return inFlight.containsKey(key);
    }
}
