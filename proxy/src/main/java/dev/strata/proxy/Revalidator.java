package dev.strata.proxy;

import dev.strata.cache.fresh.Storability;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.lookup.Validators;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.upstream.UpstreamClient;
import dev.strata.upstream.UpstreamRequest;
import dev.strata.upstream.UpstreamResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background revalidation for stale-while-revalidate (RFC 5861 §3): while clients are answered
 * with the stale entry, one conditional request per key refreshes it. A 304 that matches updates
 * the stored headers and freshness (RFC 9111 §4.3.4); a new storable response replaces the entry;
 * anything else (an error, an uncacheable answer) leaves the stale entry to its windows. Never
 * blocks: the fetch is asynchronous and the write goes through {@link CacheWriter}. Thread-safe.
 */
final class Revalidator {
    private static final Logger log = LoggerFactory.getLogger(Revalidator.class);
    private static final byte[] NO_BODY = new byte[0];

    private final UpstreamClient client;
    private final CacheWriter writer;
    private final long maxObjectBytes;
    private final Map<CacheKey, Boolean> inFlight = new ConcurrentHashMap<>();

    Revalidator(UpstreamClient client, CacheWriter writer, long maxObjectBytes) {
        this.client = client;
        this.writer = writer;
        this.maxObjectBytes = maxObjectBytes;
    }

    /** Starts revalidating {@code stored} unless a revalidation of {@code key} is under way. */
    void revalidate(Route route, CacheKey key, CachedResponse stored) {
        if (inFlight.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        UpstreamRequest request = new UpstreamRequest(
                "GET", key.host(), key.pathAndQuery(), Validators.conditionalRequestHeaders(stored), NO_BODY);
        try {
            client.fetch(route.upstream().order(key), request, maxObjectBytes).whenComplete((response, failure) -> {
                try {
                    apply(route, key, stored, response);
                } finally {
                    inFlight.remove(key);
                }
            });
        } catch (RuntimeException e) {
            inFlight.remove(key);
            throw e;
        }
    }

    private void apply(Route route, CacheKey key, CachedResponse stored, @Nullable UpstreamResponse response) {
        if (response == null) {
            return; // the stale entry stays; its stale-if-error window decides what clients get
        }
        if (response.status() == 304 && Validators.matches(stored, response.headers())) {
            writer.store(
                    key,
                    Validators.refreshed(
                            stored,
                            Responses.refreshing(response.headers()),
                            response.requestTimeMillis(),
                            response.responseTimeMillis(),
                            route.policy()));
        } else if (Storability.isStorable(
                "GET", response.status(), HeaderList.of(), response.headers(), route.policy())) {
            writer.store(key, CacheWriter.toStored(response, route.policy()));
        } else {
            log.debug("background revalidation of {} got {}; the stale entry stays", key, response.status());
        }
    }

    /** Whether a revalidation of {@code key} is under way, for tests. */
    boolean isRevalidating(CacheKey key) {
        return inFlight.containsKey(key);
    }
}
