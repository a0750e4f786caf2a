package dev.strata.proxy;

import dev.strata.cache.collapse.RequestCollapser;
import dev.strata.cache.fresh.CacheStatus;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.lookup.LookupResult;
import io.undertow.util.AttachmentKey;

/** Per-request state passed along the handler chain. */
final class ProxyKeys {
    /** The request's route, set by {@link LookupHandler}. */
    static final AttachmentKey<Route> ROUTE = AttachmentKey.create(Route.class);

    /** The request's cache key, set by {@link LookupHandler}. */
    static final AttachmentKey<CacheKey> CACHE_KEY = AttachmentKey.create(CacheKey.class);

    /** The URL's {@link CacheWriter#generation} when this exchange's fill started. */
    static final AttachmentKey<Long> GENERATION = AttachmentKey.create(Long.class);

    /** A stored entry that must be validated upstream before use, set by {@link LookupHandler}. */
    static final AttachmentKey<LookupResult.MustValidate> VALIDATING =
            AttachmentKey.create(LookupResult.MustValidate.class);

    /** This exchange fetches for the others waiting on its key; it releases them ({@link LookupHandler}). */
    static final AttachmentKey<RequestCollapser.Leader> LEADER = AttachmentKey.create(RequestCollapser.Leader.class);

    /** This exchange waited for another's fetch before it looked up again. */
    static final AttachmentKey<Boolean> COLLAPSED = AttachmentKey.create(Boolean.class);

    /** When this exchange stops waiting for others' fetches ({@link System#nanoTime()}). */
    static final AttachmentKey<Long> COLLAPSE_DEADLINE = AttachmentKey.create(Long.class);

    /** This exchange waited too long for another's fetch: it fetches itself. */
    static final AttachmentKey<Boolean> NO_COLLAPSE = AttachmentKey.create(Boolean.class);

    /** How the response was served, as its {@code X-Cache} says; set by {@link Responses}, read by {@link RequestMeters}. */
    static final AttachmentKey<CacheStatus> CACHE_STATUS = AttachmentKey.create(CacheStatus.class);

    /** The request's {@code X-Request-Id}, set by {@link RequestIdHandler} before anything else. */
    static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);

    /**
     * This exchange's fill asks upstream for the identity ({@code Accept-Encoding: identity}): the
     * edge compresses for its clients itself ({@link IdentityFillHandler}).
     */
    static final AttachmentKey<Boolean> IDENTITY_FILL = AttachmentKey.create(Boolean.class);

    /** Nanoseconds this exchange waited on the next hop so far ({@link Timings#addUpstream}). */
    static final AttachmentKey<Long> UPSTREAM_NANOS = AttachmentKey.create(Long.class);

    private ProxyKeys() {}
}
