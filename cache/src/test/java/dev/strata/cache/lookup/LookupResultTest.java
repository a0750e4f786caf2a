package dev.strata.cache.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LookupResultTest {
    private static final long T = 1_700_000_000_000L;
    private static final Duration DAY = Duration.ofDays(1);
    private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);
    private static final RequestDirectives NONE = RequestDirectives.none();

    /** Stored at T, age 0 then, with a 60 s lifetime. */
    private static CachedResponse stored(Duration swr, Duration sie, boolean mustRevalidate, boolean noCache) {
        return new CachedResponse(
                200,
                HeaderList.of("Cache-Control", "max-age=60"),
                BODY,
                T,
                new Freshness(Duration.ofSeconds(60), Duration.ZERO, swr, sie, mustRevalidate, noCache));
    }

    private static CachedResponse plain() {
        return stored(Duration.ZERO, Duration.ZERO, false, false);
    }

    private static CachedResponse withSwr(long seconds) {
        return stored(Duration.ofSeconds(seconds), Duration.ZERO, false, false);
    }

    private static RequestDirectives request(String cacheControl) {
        return RequestDirectives.parse(HeaderList.of("Cache-Control", cacheControl), CachePolicyConfig.defaults());
    }

    private static LookupResult decide(CachedResponse stored, RequestDirectives request, long nowOffsetMillis) {
        return LookupResult.decide(stored, request, T + nowOffsetMillis, DAY);
    }

    @Test
    void nothingStoredIsAMiss() {
        assertThat(LookupResult.decide(null, NONE, T, DAY)).isEqualTo(new LookupResult.Miss());
    }

    @Test
    void freshIsAHitWithItsAge() {
        CachedResponse stored = plain();

        assertThat(decide(stored, NONE, 30_000)).isEqualTo(new LookupResult.Hit(stored, Duration.ofSeconds(30)));
    }

    @Test
    void aMillisecondBeforeTheLifetimeIsAHit() {
        assertThat(decide(plain(), NONE, 59_999)).isInstanceOf(LookupResult.Hit.class);
    }

    @Test
    void exactlyAtTheLifetimeIsStale() {
        CachedResponse stored = plain();

        assertThat(decide(stored, NONE, 60_000))
                .isEqualTo(new LookupResult.MustValidate(stored, Duration.ofSeconds(60), LookupResult.Reason.STALE));
    }

    @Test
    void initialAgeCountsTowardsTheLifetime() {
        CachedResponse stored = new CachedResponse(
                200, HeaderList.of(), BODY, T, new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(50)));

        assertThat(decide(stored, NONE, 9_999)).isInstanceOf(LookupResult.Hit.class);
        assertThat(decide(stored, NONE, 10_000)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void withinStaleWhileRevalidateIsServedStaleAndRevalidated() {
        CachedResponse stored = withSwr(30);

        assertThat(decide(stored, NONE, 60_000))
                .isEqualTo(new LookupResult.Stale(stored, Duration.ofSeconds(60), true));
        assertThat(decide(stored, NONE, 89_999))
                .isEqualTo(new LookupResult.Stale(stored, Duration.ofMillis(89_999), true));
    }

    @Test
    void exactlyAtLifetimePlusStaleWhileRevalidateMustValidate() {
        CachedResponse stored = withSwr(30);

        assertThat(decide(stored, NONE, 90_000))
                .isEqualTo(new LookupResult.MustValidate(stored, Duration.ofSeconds(90), LookupResult.Reason.STALE));
    }

    @Test
    void mustRevalidateForbidsStaleWhileRevalidate() {
        CachedResponse stored = stored(Duration.ofSeconds(30), Duration.ZERO, true, false);

        assertThat(decide(stored, NONE, 59_999)).isInstanceOf(LookupResult.Hit.class);
        assertThat(decide(stored, NONE, 60_000)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void mustRevalidateForbidsTheClientsMaxStale() {
        CachedResponse stored = stored(Duration.ZERO, Duration.ZERO, true, false);

        assertThat(decide(stored, request("max-stale"), 61_000)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void sMaxAgeResponseIsNeverServedStale() {
        CachedResponse stored = new CachedResponse(
                200,
                HeaderList.of(),
                BODY,
                T,
                Freshness.of(
                        200,
                        HeaderList.of("Cache-Control", "s-maxage=60, stale-while-revalidate=30"),
                        T,
                        T,
                        CachePolicyConfig.defaults()));

        assertThat(decide(stored, NONE, 61_000)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void noCacheResponseMustBeValidatedEvenWhenFresh() {
        CachedResponse stored = stored(Duration.ofSeconds(30), Duration.ZERO, false, true);

        LookupResult result = decide(stored, NONE, 1_000);

        assertThat(result)
                .isEqualTo(new LookupResult.MustValidate(stored, Duration.ofSeconds(1), LookupResult.Reason.NO_CACHE));
        assertThat(((LookupResult.MustValidate) result).fwd()).isEqualTo(CacheStatusField.Fwd.STALE);
        assertThat(decide(stored, request("max-stale"), 70_000)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void requestNoCacheMustValidateAFreshResponse() {
        LookupResult result = decide(plain(), request("no-cache"), 1_000);

        assertThat(result).isInstanceOf(LookupResult.MustValidate.class);
        assertThat(((LookupResult.MustValidate) result).reason()).isEqualTo(LookupResult.Reason.REQUEST);
        assertThat(((LookupResult.MustValidate) result).fwd()).isEqualTo(CacheStatusField.Fwd.REQUEST);
    }

    @Test
    void requestMaxAgeZeroMustValidate() {
        assertThat(decide(plain(), request("max-age=0"), 0)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void requestMaxAgeAcceptsAnAgeOfThatManyWholeSeconds() {
        assertThat(decide(plain(), request("max-age=30"), 30_999)).isInstanceOf(LookupResult.Hit.class);
        assertThat(decide(plain(), request("max-age=30"), 31_000))
                .isEqualTo(new LookupResult.MustValidate(plain(), Duration.ofSeconds(31), LookupResult.Reason.REQUEST));
    }

    @Test
    void minFreshNeedsThatMuchLifetimeLeft() {
        assertThat(decide(plain(), request("min-fresh=20"), 40_000)).isInstanceOf(LookupResult.Hit.class);
        assertThat(decide(plain(), request("min-fresh=20"), 40_001)).isInstanceOf(LookupResult.MustValidate.class);
        assertThat(decide(plain(), request("min-fresh=0, max-stale"), 61_000))
                .as("a stale response never satisfies min-fresh, whatever max-stale says")
                .isEqualTo(new LookupResult.MustValidate(plain(), Duration.ofSeconds(61), LookupResult.Reason.REQUEST));
    }

    @Test
    void clientMaxStaleServesStaleWithoutBackgroundRevalidation() {
        CachedResponse stored = plain();

        assertThat(decide(stored, request("max-stale=10"), 69_999))
                .isEqualTo(new LookupResult.Stale(stored, Duration.ofMillis(69_999), false));
        assertThat(decide(stored, request("max-stale=10"), 70_000)).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void unlimitedMaxStaleIsCappedByTheSite() {
        CachedResponse stored = plain();

        assertThat(decide(stored, request("max-stale"), 60_000 + DAY.toMillis() - 1))
                .isInstanceOf(LookupResult.Stale.class);
        assertThat(decide(stored, request("max-stale"), 60_000 + DAY.toMillis()))
                .isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void siteMaxStaleCapsStaleWhileRevalidate() {
        CachedResponse stored = withSwr(Duration.ofDays(7).toSeconds());

        assertThat(decide(stored, NONE, 60_000 + DAY.toMillis() - 1)).isInstanceOf(LookupResult.Stale.class);
        assertThat(decide(stored, NONE, 60_000 + DAY.toMillis())).isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void zeroSiteMaxStaleNeverServesStale() {
        assertThat(LookupResult.decide(withSwr(30), request("max-stale"), T + 60_000, Duration.ZERO))
                .isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void staleWhileRevalidateWinsOverMaxStaleSoTheEntryIsRefreshed() {
        assertThat(decide(withSwr(30), request("max-stale=3600"), 61_000))
                .isEqualTo(new LookupResult.Stale(withSwr(30), Duration.ofSeconds(61), true));
        assertThat(decide(withSwr(30), request("max-stale=3600"), 91_000))
                .isEqualTo(new LookupResult.Stale(withSwr(30), Duration.ofSeconds(91), false));
    }

    @Test
    void requestMaxAgeLimitsStaleServingToo() {
        assertThat(decide(plain(), request("max-age=70, max-stale=60"), 65_000)).isInstanceOf(LookupResult.Stale.class);
        assertThat(decide(plain(), request("max-age=70, max-stale=60"), 71_000))
                .isInstanceOf(LookupResult.MustValidate.class);
    }

    @Test
    void onlyIfCachedIsLeftToTheCaller() {
        // The caller answers 504 for Miss or MustValidate when the client said only-if-cached.
        RequestDirectives onlyIfCached = request("only-if-cached");

        assertThat(onlyIfCached.onlyIfCached()).isTrue();
        assertThat(LookupResult.decide(null, onlyIfCached, T, DAY)).isInstanceOf(LookupResult.Miss.class);
        assertThat(decide(plain(), onlyIfCached, 61_000)).isInstanceOf(LookupResult.MustValidate.class);
        assertThat(decide(plain(), onlyIfCached, 1_000)).isInstanceOf(LookupResult.Hit.class);
        assertThat(decide(plain(), request("only-if-cached, max-stale"), 61_000))
                .isInstanceOf(LookupResult.Stale.class);
    }

    @Test
    void requestNoStoreDoesNotStopAStoredResponseFromAnswering() {
        assertThat(decide(plain(), request("no-store"), 1_000)).isInstanceOf(LookupResult.Hit.class);
    }

    @Test
    void staleIfErrorServesWithinItsWindow() {
        CachedResponse stored = stored(Duration.ZERO, Duration.ofMinutes(5), false, false);

        assertThat(LookupResult.mayServeStaleOnError(stored, T + 1_000, DAY, RequestDirectives.none()))
                .as("fresh")
                .isTrue();
        assertThat(LookupResult.mayServeStaleOnError(stored, T + 60_000, DAY, RequestDirectives.none()))
                .isTrue();
        assertThat(LookupResult.mayServeStaleOnError(stored, T + 359_999, DAY, RequestDirectives.none()))
                .isTrue();
        assertThat(LookupResult.mayServeStaleOnError(stored, T + 360_000, DAY, RequestDirectives.none()))
                .isFalse();
    }

    @Test
    void staleIfErrorIsCappedByTheSite() {
        CachedResponse stored = stored(Duration.ZERO, Duration.ofDays(7), false, false);

        assertThat(LookupResult.mayServeStaleOnError(
                        stored, T + 60_000 + DAY.toMillis() - 1, DAY, RequestDirectives.none()))
                .isTrue();
        assertThat(LookupResult.mayServeStaleOnError(
                        stored, T + 60_000 + DAY.toMillis(), DAY, RequestDirectives.none()))
                .isFalse();
    }

    @Test
    void staleIfErrorIsForbiddenByMustRevalidateAndNoCache() {
        assertThat(LookupResult.mayServeStaleOnError(
                        stored(Duration.ZERO, Duration.ofMinutes(5), true, false),
                        T + 61_000,
                        DAY,
                        RequestDirectives.none()))
                .isFalse();
        assertThat(LookupResult.mayServeStaleOnError(
                        stored(Duration.ZERO, Duration.ofMinutes(5), false, true),
                        T + 1_000,
                        DAY,
                        RequestDirectives.none()))
                .isFalse();
    }

    @Test
    void withoutStaleIfErrorAStaleResponseIsNotServedOnError() {
        assertThat(LookupResult.mayServeStaleOnError(plain(), T + 60_000, DAY, RequestDirectives.none()))
                .isFalse();
    }

    @Test
    void ttlIsTheRemainingLifetimeAndNegativeWhenStale() {
        assertThat(plain().ttl(T + 3_000)).isEqualTo(Duration.ofSeconds(57));
        assertThat(plain().ttl(T + 72_000)).isEqualTo(Duration.ofSeconds(-12));
    }

    @Property
    void staleIsServedOnlyWhenAllowedAndNeverBeyondTheSiteCap(
            @ForAll @LongRange(min = 0, max = 200_000) long nowOffset,
            @ForAll @IntRange(min = 0, max = 100) int swrSeconds,
            @ForAll @IntRange(min = 0, max = 100) int siteMaxStaleSeconds,
            @ForAll boolean mustRevalidate,
            @ForAll boolean noCache,
            @ForAll boolean maxStale) {
        CachedResponse stored = stored(Duration.ofSeconds(swrSeconds), Duration.ZERO, mustRevalidate, noCache);
        RequestDirectives request = new RequestDirectives(
                false,
                false,
                OptionalLong.empty(),
                maxStale ? OptionalLong.of(RequestDirectives.UNLIMITED) : OptionalLong.empty(),
                OptionalLong.empty(),
                false,
                OptionalLong.empty());

        LookupResult result =
                LookupResult.decide(stored, request, T + nowOffset, Duration.ofSeconds(siteMaxStaleSeconds));

        long staleness = nowOffset - 60_000;
        if (result instanceof LookupResult.Hit) {
            assertThat(staleness).isNegative();
            assertThat(noCache).isFalse();
        }
        if (result instanceof LookupResult.Stale stale) {
            assertThat(staleness).isNotNegative().isLessThan(siteMaxStaleSeconds * 1000L);
            assertThat(mustRevalidate || noCache).isFalse();
            assertThat(stale.revalidateInBackground()).isEqualTo(staleness < swrSeconds * 1000L);
        }
        assertThat(result).isNotInstanceOf(LookupResult.Miss.class);
    }
}
