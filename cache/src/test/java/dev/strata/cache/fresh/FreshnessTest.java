package dev.strata.cache.fresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FreshnessTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final long T = 784_111_777_000L;

    private static final CachePolicyConfig POLICY = CachePolicyConfig.defaults();

    private static String date(long millis) {
        return HttpDates.format(millis);
    }

    /** A response received instantly at {@code T}. */
    private static Freshness at(int status, String... headers) {
        return Freshness.of(status, HeaderList.of(headers), T, T, POLICY);
    }

    @Test
    void sMaxAgeWinsOverMaxAgeAndExpires() {
        Freshness freshness =
                at(200, "Date", date(T), "Cache-Control", "max-age=60, s-maxage=30", "Expires", date(T + 1_000_000));

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void maxAgeWinsOverExpires() {
        Freshness freshness = at(200, "Date", date(T), "Cache-Control", "max-age=60", "Expires", date(T + 1_000_000));

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void invalidMaxAgeMeansStaleEvenWithALaterExpires() {
        Freshness freshness = at(200, "Date", date(T), "Cache-Control", "max-age=soon", "Expires", date(T + 100_000));

        assertThat(freshness.lifetime()).isZero();
    }

    @Test
    void expiresIsRelativeToDateNotToOurClock() {
        // The origin's clock is 50 s behind ours; Expires - Date is what the origin meant.
        Freshness freshness = Freshness.of(
                200, HeaderList.of("Date", date(T), "Expires", date(T + 100_000)), T + 50_000, T + 50_000, POLICY);

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void expiresWithoutDateIsRelativeToTheResponseTime() {
        Freshness freshness =
                Freshness.of(200, HeaderList.of("Expires", date(T + 100_000)), T + 40_000, T + 40_000, POLICY);

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void invalidExpiresMeansAlreadyStale() {
        assertThat(at(200, "Date", date(T), "Expires", "0").lifetime()).isZero();
        assertThat(at(200, "Date", date(T), "Expires", "-1").lifetime()).isZero();
    }

    @Test
    void invalidExpiresPreventsTheHeuristic() {
        Freshness freshness = at(200, "Date", date(T), "Expires", "0", "Last-Modified", date(T - 86_400_000L));

        assertThat(freshness.lifetime()).isZero();
    }

    @Test
    void expiresBeforeDateIsZeroNotNegative() {
        assertThat(at(200, "Date", date(T), "Expires", date(T - 60_000)).lifetime())
                .isZero();
    }

    @Test
    void heuristicIsTenPercentOfTheTimeSinceLastModified() {
        Freshness freshness = at(
                200,
                "Date",
                date(T),
                "Last-Modified",
                date(T - Duration.ofHours(10).toMillis()));

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void heuristicIsCappedByHeuristicMax() {
        Freshness freshness = at(
                200,
                "Date",
                date(T),
                "Last-Modified",
                date(T - Duration.ofDays(365).toMillis()));

        assertThat(freshness.lifetime()).isEqualTo(POLICY.heuristicMax()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void heuristicCapComesFromThePolicy() {
        CachePolicyConfig policy =
                new CachePolicyConfig(true, false, List.of(), false, false, 0.5, Duration.ofMinutes(5), Duration.ZERO);

        Freshness freshness =
                Freshness.of(200, HeaderList.of("Date", date(T), "Last-Modified", date(T - 60_000)), T, T, policy);

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Freshness.of(200, HeaderList.of("Date", date(T), "Last-Modified", date(T - 3_600_000)), T, T, policy)
                        .lifetime())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void heuristicAppliesToHeuristicallyCacheableStatusesOnly() {
        String lastModified = date(T - Duration.ofHours(10).toMillis());

        assertThat(at(404, "Date", date(T), "Last-Modified", lastModified).lifetime())
                .isEqualTo(Duration.ofHours(1));
        assertThat(at(301, "Date", date(T), "Last-Modified", lastModified).lifetime())
                .isEqualTo(Duration.ofHours(1));
        assertThat(at(500, "Date", date(T), "Last-Modified", lastModified).lifetime())
                .isZero();
        assertThat(at(302, "Date", date(T), "Last-Modified", lastModified).lifetime())
                .isZero();
        assertThat(at(503, "Date", date(T), "Last-Modified", lastModified).lifetime())
                .isZero();
    }

    @Test
    void heuristicIsNeverUsedWhenExplicitFreshnessExists() {
        String lastModified = date(T - Duration.ofDays(10).toMillis());

        assertThat(at(200, "Date", date(T), "Cache-Control", "max-age=0", "Last-Modified", lastModified)
                        .lifetime())
                .isZero();
        assertThat(at(200, "Date", date(T), "Expires", date(T + 5_000), "Last-Modified", lastModified)
                        .lifetime())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void lastModifiedInTheFutureGivesNoHeuristic() {
        assertThat(at(200, "Date", date(T), "Last-Modified", date(T + 60_000)).lifetime())
                .isZero();
    }

    @Test
    void noFreshnessInformationMeansLifetimeZero() {
        assertThat(at(200, "Date", date(T)).lifetime()).isZero();
        assertThat(Freshness.hasExplicitLifetime(HeaderList.of("Date", date(T))))
                .isFalse();
    }

    @Test
    void explicitLifetimeIsMaxAgeSMaxAgeOrExpires() {
        assertThat(Freshness.hasExplicitLifetime(HeaderList.of("Cache-Control", "max-age=1")))
                .isTrue();
        assertThat(Freshness.hasExplicitLifetime(HeaderList.of("Cache-Control", "s-maxage=1")))
                .isTrue();
        assertThat(Freshness.hasExplicitLifetime(HeaderList.of("Expires", "0"))).isTrue();
        assertThat(Freshness.hasExplicitLifetime(HeaderList.of("Cache-Control", "public")))
                .isFalse();
    }

    @Test
    void ageIsTheResponseDelayWhenNothingElseIsKnown() {
        Freshness freshness = Freshness.of(200, HeaderList.of(), T, T + 2_000, POLICY);

        assertThat(freshness.age()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void ageAddsTheUpstreamAgeToTheResponseDelay() {
        // corrected_age_value = age_value + response_delay
        Freshness freshness = Freshness.of(200, HeaderList.of("Date", date(T), "Age", "100"), T, T + 2_000, POLICY);

        assertThat(freshness.age()).isEqualTo(Duration.ofSeconds(102));
    }

    @Test
    void apparentAgeWinsWhenLarger() {
        // apparent_age = response_time - date_value = 300 s > corrected_age_value = 10 + 1 s
        Freshness freshness =
                Freshness.of(200, HeaderList.of("Date", date(T - 300_000), "Age", "10"), T - 1_000L, T, POLICY);

        assertThat(freshness.age()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void dateInTheFutureGivesNoNegativeApparentAge() {
        Freshness freshness = Freshness.of(200, HeaderList.of("Date", date(T + 3_600_000)), T, T, POLICY);

        assertThat(freshness.age()).isZero();
    }

    @Test
    void invalidAgeHeaderCountsAsZero() {
        Freshness freshness = Freshness.of(200, HeaderList.of("Date", date(T), "Age", "-7"), T, T, POLICY);

        assertThat(freshness.age()).isZero();
    }

    @Test
    void responseTimeBeforeRequestTimeGivesNoNegativeDelay() {
        Freshness freshness = Freshness.of(200, HeaderList.of("Age", "5"), T + 1_000, T, POLICY);

        assertThat(freshness.age()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void isFreshUntilCurrentAgeReachesLifetime() {
        Freshness freshness = new Freshness(Duration.ofSeconds(60), Duration.ofSeconds(10));

        assertThat(freshness.isFresh(Duration.ZERO)).isTrue();
        assertThat(freshness.isFresh(Duration.ofMillis(49_999))).isTrue();
        assertThat(freshness.isFresh(Duration.ofSeconds(50))).isFalse();
        assertThat(freshness.currentAge(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void zeroLifetimeIsNeverFresh() {
        assertThat(new Freshness(Duration.ZERO, Duration.ZERO).isFresh(Duration.ZERO))
                .isFalse();
    }

    @Test
    void negativeLifetimeOrAgeIsRejected() {
        assertThatThrownBy(() -> new Freshness(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lifetime");
        assertThatThrownBy(() -> new Freshness(Duration.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("age");
    }

    @Test
    void staleWindowsAreReadFromCacheControl() {
        Freshness freshness = at(200, "Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=86400");

        assertThat(freshness.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
        assertThat(freshness.staleIfError()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void absentStaleWindowsAreZero() {
        Freshness freshness = at(200, "Cache-Control", "max-age=60");

        assertThat(freshness.staleWhileRevalidate()).isZero();
        assertThat(freshness.staleIfError()).isZero();
        assertThat(freshness.mustRevalidate()).isFalse();
        assertThat(freshness.noCache()).isFalse();
        assertThat(freshness.forbidsStale()).isFalse();
    }

    @Test
    void invalidStaleWindowIsZero() {
        assertThat(at(200, "Cache-Control", "max-age=60, stale-while-revalidate=soon")
                        .staleWhileRevalidate())
                .isZero();
        assertThat(at(200, "Cache-Control", "max-age=60, stale-if-error=-5").staleIfError())
                .isZero();
    }

    @Test
    void mustRevalidateAndProxyRevalidateForbidStale() {
        assertThat(at(200, "Cache-Control", "max-age=60, must-revalidate").mustRevalidate())
                .isTrue();
        assertThat(at(200, "Cache-Control", "max-age=60, proxy-revalidate").mustRevalidate())
                .isTrue();
        assertThat(at(200, "Cache-Control", "max-age=60, must-revalidate").forbidsStale())
                .isTrue();
    }

    @Test
    void sMaxAgeImpliesProxyRevalidateForASharedCache() {
        // RFC 9111 §5.2.2.10: s-maxage incorporates proxy-revalidate, so no stale serving at all.
        Freshness freshness = at(200, "Cache-Control", "s-maxage=60, stale-while-revalidate=30");

        assertThat(freshness.mustRevalidate()).isTrue();
        assertThat(freshness.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
        assertThat(freshness.forbidsStale()).isTrue();
    }

    @Test
    void noCacheIsStoredButMustBeValidated() {
        Freshness freshness = at(200, "Cache-Control", "no-cache, max-age=60");

        assertThat(freshness.noCache()).isTrue();
        assertThat(freshness.lifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(freshness.forbidsStale()).isTrue();
    }

    @Test
    void qualifiedNoCacheIsTreatedAsUnqualified() {
        assertThat(at(200, "Cache-Control", "no-cache=\"Set-Cookie\", max-age=60")
                        .noCache())
                .isTrue();
    }

    @Test
    void fromReadsRulesFromHeadersAndKeepsLifetimeAndAge() {
        Freshness freshness = Freshness.from(
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                HeaderList.of("Cache-Control", "max-age=999, stale-if-error=60, no-cache"));

        assertThat(freshness)
                .isEqualTo(new Freshness(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ofMinutes(1),
                        false,
                        true));
    }

    @Test
    void twoArgumentConstructorHasNoStaleWindowsOrRules() {
        assertThat(new Freshness(Duration.ofSeconds(5), Duration.ZERO))
                .isEqualTo(new Freshness(
                        Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, Duration.ZERO, false, false));
    }

    @Test
    void negativeStaleWindowsAreRejected() {
        assertThatThrownBy(() -> new Freshness(
                        Duration.ZERO, Duration.ZERO, Duration.ofSeconds(-1), Duration.ZERO, false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staleWhileRevalidate");
        assertThatThrownBy(() -> new Freshness(
                        Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(-1), false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staleIfError");
    }

    @Property
    void initialAgeIsAtLeastUpstreamAgeAndApparentAgeAndNeverNegative(
            @ForAll @LongRange(min = -86_400_000L, max = 86_400_000L) long dateOffsetMillis,
            @ForAll @LongRange(min = -60_000L, max = 600_000L) long responseDelayMillis,
            @ForAll @IntRange(min = 0, max = 1_000_000) int upstreamAgeSeconds) {
        long responseTime = T;
        long requestTime = T - responseDelayMillis;
        long dateMillis = (T + dateOffsetMillis) / 1000 * 1000; // HTTP-dates have whole seconds
        HeaderList headers = HeaderList.of("Date", date(dateMillis), "Age", Integer.toString(upstreamAgeSeconds));

        Duration age =
                Freshness.of(200, headers, requestTime, responseTime, POLICY).age();

        long apparentAge = Math.max(0, responseTime - dateMillis);
        assertThat(age.isNegative()).isFalse();
        assertThat(age.toMillis()).isGreaterThanOrEqualTo(upstreamAgeSeconds * 1000L);
        assertThat(age.toMillis()).isGreaterThanOrEqualTo(apparentAge);
        assertThat(age.toMillis())
                .isEqualTo(Math.max(apparentAge, upstreamAgeSeconds * 1000L + Math.max(0, responseDelayMillis)));
    }
}
