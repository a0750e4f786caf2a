package dev.strata.cache.lookup;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.store.CachedResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a cache may do with its stored response for a request: the one decision of a lookup (RFC
 * 9111 §4).
 *
 * <p>{@link #decide} checks, in order:
 *
 * <ol>
 *   <li>nothing stored: {@link Miss};
 *   <li>the request's {@code no-cache} (or {@code max-age=0}, or {@code Pragma: no-cache}), an age
 *       above its {@code max-age}, or a remaining lifetime below its {@code min-fresh}: {@link
 *       MustValidate} ({@link Reason#REQUEST}; §5.2.1);
 *   <li>the response's {@code no-cache}: {@link MustValidate} ({@link Reason#NO_CACHE}; §5.2.2.4);
 *   <li>fresh ({@code age < lifetime}): {@link Hit};
 *   <li>stale and the response forbids serving stale ({@code must-revalidate}, {@code
 *       proxy-revalidate}, {@code s-maxage}; §4.2.4, §5.2.2.2): {@link MustValidate};
 *   <li>stale by the site's {@code max-stale} or more: {@link MustValidate}; the site caps every
 *       kind of stale serving, stale-if-error included;
 *   <li>within {@code stale-while-revalidate} (RFC 5861 §3): {@link Stale} with a background
 *       revalidation;
 *   <li>within the client's {@code max-stale} (§5.2.1.2): {@link Stale} without one;
 *   <li>else {@link MustValidate} ({@link Reason#STALE}).
 * </ol>
 *
 * <p>Windows are half-open, like freshness itself: a response is fresh while {@code age <
 * lifetime}, so at exactly its lifetime it is stale, and it is within a stale window of {@code w}
 * while {@code age - lifetime < w}, so at exactly {@code lifetime + w} it is not (and a zero window
 * never serves). Request {@code max-age=N} accepts an age of N whole seconds, as {@code Age} would
 * report it.
 *
 * <p><b>only-if-cached</b> (§5.2.1.7) is left to the caller: when {@link
 * RequestDirectives#onlyIfCached()} is set and the result is {@link Miss} or {@link MustValidate},
 * the caller must not go upstream and answers 504 (Gateway Timeout) instead; {@link Hit} and {@link
 * Stale} are served as usual (without a background revalidation, if it prefers).
 *
 * <p>Results are immutable records; the static methods are pure and thread-safe.
 */
public sealed interface LookupResult
        permits LookupResult.Hit, LookupResult.Stale, LookupResult.MustValidate, LookupResult.Miss {

    /**
     * The stored response may be served as it is: fresh, and fresh enough for the request.
     *
     * @param response the stored response
     * @param age its current age, for the {@code Age} field
     */
    record Hit(CachedResponse response, Duration age) implements LookupResult {
        public Hit {
            requireNonNull(response, "response");
            requireNonNull(age, "age");
        }
    }

    /**
     * The stored response is stale but may be served now.
     *
     * @param response the stored response
     * @param age its current age, for the {@code Age} field
     * @param revalidateInBackground within {@code stale-while-revalidate}: serve, then revalidate
     *     (one conditional request, collapsed per key); false when only the client's {@code
     *     max-stale} allowed it
     */
    record Stale(CachedResponse response, Duration age, boolean revalidateInBackground) implements LookupResult {
        public Stale {
            requireNonNull(response, "response");
            requireNonNull(age, "age");
        }
    }

    /**
     * A response is stored but must be validated upstream before use: send the request with {@link
     * Validators#conditionalRequestHeaders} (unconditional when the response has no validator), then
     * on 304 serve {@link Validators#refreshed}, on an error consider {@link
     * LookupResult#mayServeStaleOnError} (not for {@link Reason#REQUEST}).
     *
     * @param response the stored response
     * @param age its current age
     * @param reason why it may not be served as it is
     */
    record MustValidate(CachedResponse response, Duration age, Reason reason) implements LookupResult {
        public MustValidate {
            requireNonNull(response, "response");
            requireNonNull(age, "age");
            requireNonNull(reason, "reason");
        }

        /** The {@code fwd} value of {@code Cache-Status} for this forward (RFC 9211 §2.2). */
        public CacheStatusField.Fwd fwd() {
            return reason == Reason.REQUEST ? CacheStatusField.Fwd.REQUEST : CacheStatusField.Fwd.STALE;
        }
    }

    /** Nothing usable is stored: fetch. */
    record Miss() implements LookupResult {}

    /** Why a stored response must be validated. */
    enum Reason {
        /** Stale beyond what may be served stale, or stale and not allowed to be served stale. */
        STALE,
        /** The response says {@code no-cache}: validated before every use, even when fresh. */
        NO_CACHE,
        /** The request said {@code no-cache}, or its {@code max-age} or {@code min-fresh} are not met. */
        REQUEST
    }

    /**
     * Decides how to answer a request from what is stored. Thread-safe and allocation-light: cheap
     * enough for an I/O thread.
     *
     * @param stored the stored response, or null when there is none
     * @param request the request's directives ({@link RequestDirectives#parse})
     * @param nowMillis now (epoch ms)
     * @param siteMaxStale the site's cap on staleness ({@code CachePolicyConfig.maxStale()}): a
     *     response stale by this much or more is never served stale
     */
    static LookupResult decide(
            @Nullable CachedResponse stored, RequestDirectives request, long nowMillis, Duration siteMaxStale) {
        requireNonNull(request, "request");
        requireNonNull(siteMaxStale, "siteMaxStale");
        if (stored == null) {
            return new Miss();
        }
        Freshness freshness = stored.freshness();
        Duration age = stored.age(nowMillis);
        Duration remaining = freshness.lifetime().minus(age);
        if (request.noCache()
                || (request.maxAge().isPresent()
                        && age.toSeconds() > request.maxAge().getAsLong())
                || (request.minFresh().isPresent()
                        && remaining.compareTo(
                                        Duration.ofSeconds(request.minFresh().getAsLong()))
                                < 0)) {
            return new MustValidate(stored, age, Reason.REQUEST);
        }
        if (freshness.noCache()) {
            return new MustValidate(stored, age, Reason.NO_CACHE);
        }
        if (remaining.compareTo(Duration.ZERO) > 0) {
            return new Hit(stored, age);
        }
        Duration staleness = remaining.negated();
        if (freshness.mustRevalidate() || !within(staleness, siteMaxStale)) {
            return new MustValidate(stored, age, Reason.STALE);
        }
        if (within(staleness, freshness.staleWhileRevalidate())) {
            return new Stale(stored, age, true);
        }
        if (request.maxStale().isPresent()
                && (request.maxStale().getAsLong() == RequestDirectives.UNLIMITED
                        || within(
                                staleness, Duration.ofSeconds(request.maxStale().getAsLong())))) {
            return new Stale(stored, age, false);
        }
        return new MustValidate(stored, age, Reason.STALE);
    }

    /**
     * Whether the stored response may answer a request whose validation or fetch failed (an
     * unreachable upstream, a timeout, or a 500, 502, 503 or 504; RFC 5861 §4): fresh, or stale by
     * less than its {@code stale-if-error} (or the request's, when longer) and the site's {@code
     * max-stale}; never with {@code
     * must-revalidate}, {@code proxy-revalidate}, {@code s-maxage} or {@code no-cache} (RFC 9111
     * §4.2.4). Not for a request whose own directives refused the stored response ({@link
     * Reason#REQUEST}): its client asked for validation.
     *
     * @param stored the stored response
     * @param nowMillis now (epoch ms)
     * @param siteMaxStale the site's cap on staleness
     * @param request the failed request's directives, for its own {@code stale-if-error}
     */
    public static boolean mayServeStaleOnError(
            CachedResponse stored, long nowMillis, Duration siteMaxStale, RequestDirectives request) {
        Freshness freshness = stored.freshness();
        if (freshness.forbidsStale()) {
            return false;
        }
        Duration remaining = freshness.lifetime().minus(stored.age(nowMillis));
        if (remaining.compareTo(Duration.ZERO) > 0) {
            return true;
        }
        Duration staleness = remaining.negated();
        boolean allowed = within(staleness, freshness.staleIfError())
                || (request.staleIfError().isPresent()
                        && within(
                                staleness,
                                Duration.ofSeconds(request.staleIfError().getAsLong())));
        return allowed && within(staleness, siteMaxStale);
    }

    /**
     * Whether the stored response may answer a request whose upstream could not be reached at all
     * (no connection, or no answer in time): RFC 9111 §4.2.4 lets a disconnected cache serve stale
     * unless the response forbids it. Within the site's {@code max-stale}, and only for a response
     * without its own {@code stale-if-error}, whose window then decides ({@link
     * #mayServeStaleOnError}).
     */
    public static boolean mayServeStaleWhenUnreachable(CachedResponse stored, long nowMillis, Duration siteMaxStale) {
        Freshness freshness = stored.freshness();
        if (freshness.forbidsStale() || !freshness.staleIfError().isZero()) {
            return false;
        }
        Duration staleness = stored.age(nowMillis).minus(freshness.lifetime());
        return staleness.isNegative() || within(staleness, siteMaxStale);
    }

    /** Whether {@code staleness} is inside a half-open window {@code [0, window)}. */
    private static boolean within(Duration staleness, Duration window) {
        return staleness.compareTo(window) < 0;
    }
}
