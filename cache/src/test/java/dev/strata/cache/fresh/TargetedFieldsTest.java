package dev.strata.cache.fresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** CDN-Cache-Control (RFC 9213) and Surrogate-Control take precedence over Cache-Control for us. */
class TargetedFieldsTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final long T = 784_111_777_000L;

    private static final CachePolicyConfig POLICY = CachePolicyConfig.defaults();

    private static Freshness freshness(String... headers) {
        return Freshness.of(200, HeaderList.of(headers), T, T, POLICY);
    }

    private static boolean storable(String... headers) {
        return Storability.isStorable("GET", 200, HeaderList.of(), HeaderList.of(headers), POLICY);
    }

    @Test
    void targetedFieldsAreNamedForStripping() {
        assertThat(Freshness.TARGETED_FIELDS).containsExactlyInAnyOrder("CDN-Cache-Control", "Surrogate-Control");
    }

    @Test
    void cdnCacheControlWinsOverCacheControl() {
        // RFC 9213 §3: CDN 600 s, other shared caches 120 s, the rest 60 s.
        Freshness freshness =
                freshness("Cache-Control", "max-age=60, s-maxage=120", "CDN-Cache-Control", "max-age=600");

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(freshness.mustRevalidate())
                .as("Cache-Control's s-maxage is ignored")
                .isFalse();
    }

    @Test
    void cdnCacheControlWinsOverSurrogateControl() {
        Freshness freshness = freshness(
                "Surrogate-Control", "max-age=300", "CDN-Cache-Control", "max-age=600", "Cache-Control", "max-age=60");

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void surrogateControlWinsOverCacheControl() {
        Freshness freshness = freshness(
                "Surrogate-Control",
                "max-age=300",
                "Cache-Control",
                "max-age=60, stale-while-revalidate=30, must-revalidate, no-cache");

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(freshness.staleWhileRevalidate()).isZero();
        assertThat(freshness.mustRevalidate()).isFalse();
        assertThat(freshness.noCache()).isFalse();
    }

    @Test
    void cdnCacheControlIgnoresExpires() {
        Freshness freshness = freshness(
                "Date", HttpDates.format(T), "Expires", HttpDates.format(T + 3_600_000), "CDN-Cache-Control", "public");

        assertThat(freshness.lifetime())
                .as("no max-age and Expires ignored: heuristic or zero")
                .isZero();
        assertThat(Freshness.hasExplicitLifetime(
                        HeaderList.of("Expires", HttpDates.format(T + 3_600_000), "CDN-Cache-Control", "public")))
                .isFalse();
    }

    @Test
    void staleWindowsAndRevalidationComeFromTheTargetedField() {
        Freshness freshness = freshness(
                "Cache-Control",
                "max-age=60, stale-while-revalidate=5",
                "CDN-Cache-Control",
                "max-age=600, stale-while-revalidate=120, stale-if-error=3600, must-revalidate");

        assertThat(freshness.staleWhileRevalidate()).isEqualTo(Duration.ofMinutes(2));
        assertThat(freshness.staleIfError()).isEqualTo(Duration.ofHours(1));
        assertThat(freshness.mustRevalidate()).isTrue();
    }

    @Test
    void cdnNoCacheAndSMaxAgeApply() {
        assertThat(freshness("CDN-Cache-Control", "no-cache").noCache()).isTrue();
        assertThat(freshness("CDN-Cache-Control", "no-cache=\"set-cookie\"").noCache())
                .isTrue();
        Freshness sMaxAge = freshness("CDN-Cache-Control", "max-age=60, s-maxage=90");
        assertThat(sMaxAge.lifetime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(sMaxAge.mustRevalidate()).isTrue();
    }

    @Test
    void cdnCacheControlThatDoesNotParseIsIgnored() {
        // Structured Fields keys are lower case; "Max-Age" is a parse failure, so Cache-Control applies.
        assertThat(freshness("CDN-Cache-Control", "Max-Age=600", "Cache-Control", "max-age=60")
                        .lifetime())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(freshness("CDN-Cache-Control", "max-age=600,", "Cache-Control", "max-age=60")
                        .lifetime())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(freshness("CDN-Cache-Control", "", "Cache-Control", "max-age=60")
                        .lifetime())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void cdnFalseBooleanMeansAbsent() {
        assertThat(freshness("CDN-Cache-Control", "max-age=60, no-cache=?0").noCache())
                .isFalse();
        assertThat(freshness("CDN-Cache-Control", "max-age=60, no-cache=?1").noCache())
                .isTrue();
    }

    @Test
    void cdnInvalidMaxAgeMeansStale() {
        assertThat(freshness("CDN-Cache-Control", "max-age=-5", "Cache-Control", "max-age=60")
                        .lifetime())
                .isZero();
        assertThat(freshness("CDN-Cache-Control", "max-age=\"60\"", "Cache-Control", "max-age=60")
                        .lifetime())
                .as("a String, not an Integer (RFC 9213 §2.1): not used")
                .isZero();
        assertThat(freshness("CDN-Cache-Control", "max-age=1.5").lifetime()).isZero();
    }

    @Test
    void cdnMultipleLinesAreCombined() {
        Freshness freshness = freshness("CDN-Cache-Control", "max-age=600", "CDN-Cache-Control", "stale-if-error=60");

        assertThat(freshness.lifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(freshness.staleIfError()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void surrogateControlIsUsedOnlyWithAMaxAge() {
        assertThat(freshness("Surrogate-Control", "no-store-remote", "Cache-Control", "max-age=60")
                        .lifetime())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void surrogateMaxAgeReadsThePartBeforePlus() {
        assertThat(freshness("Surrogate-Control", "max-age=300+60").lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void surrogateMaxAgeTargetedAtAnotherDeviceIsIgnored() {
        assertThat(freshness("Surrogate-Control", "max-age=300;edge-b", "Cache-Control", "max-age=60")
                        .lifetime())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void cdnNoStoreAndPrivatePreventStoring() {
        assertThat(storable("CDN-Cache-Control", "no-store", "Cache-Control", "max-age=60"))
                .isFalse();
        assertThat(storable("CDN-Cache-Control", "private", "Cache-Control", "max-age=60"))
                .isFalse();
        assertThat(storable("CDN-Cache-Control", "max-age=60, no-store=?0")).isTrue();
    }

    @Test
    void cdnCacheControlOverridesCacheControlNoStoreMeantForOthers() {
        // RFC 9213 §3: stored by the CDN for 600 s, by no other cache.
        assertThat(storable("Cache-Control", "no-store", "CDN-Cache-Control", "max-age=600"))
                .isTrue();
        assertThat(storable("Cache-Control", "private", "CDN-Cache-Control", "max-age=600"))
                .isTrue();
    }

    @Test
    void unparsableCdnCacheControlLeavesCacheControlNoStoreInForce() {
        assertThat(storable("Cache-Control", "no-store", "CDN-Cache-Control", "MAX-AGE=600"))
                .isFalse();
    }

    @Test
    void surrogateControlDoesNotOverrideCacheControlNoStoreOrPrivate() {
        assertThat(storable("Cache-Control", "no-store", "Surrogate-Control", "max-age=600"))
                .isFalse();
        assertThat(storable("Cache-Control", "private", "Surrogate-Control", "max-age=600"))
                .isFalse();
        assertThat(storable("Surrogate-Control", "max-age=600, no-store")).isFalse();
        assertThat(storable("Surrogate-Control", "max-age=600")).isTrue();
    }

    @Test
    void cdnMaxAgeIsAnExplicitLifetimeForStoring() {
        assertThat(Storability.isStorable(
                        "GET", 500, HeaderList.of(), HeaderList.of("CDN-Cache-Control", "max-age=10"), POLICY))
                .isTrue();
        assertThat(Storability.isStorable(
                        "GET", 302, HeaderList.of(), HeaderList.of("CDN-Cache-Control", "public"), POLICY))
                .isTrue();
    }

    @Test
    void authorizedRequestFollowsTheTargetedField() {
        HeaderList authorized = HeaderList.of("Authorization", "Bearer x");

        assertThat(Storability.isStorable(
                        "GET",
                        200,
                        authorized,
                        HeaderList.of("Cache-Control", "public, max-age=60", "CDN-Cache-Control", "max-age=60"),
                        POLICY))
                .isFalse();
        assertThat(Storability.isStorable(
                        "GET", 200, authorized, HeaderList.of("CDN-Cache-Control", "public, max-age=60"), POLICY))
                .isTrue();
    }
}
