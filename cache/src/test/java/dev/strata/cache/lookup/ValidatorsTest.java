package dev.strata.cache.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.fresh.HttpDates;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final long T = 784_111_777_000L;

    private static final String LAST_MODIFIED = HttpDates.format(T - 3_600_000);
    private static final byte[] BODY = "<p>hello</p>".getBytes(StandardCharsets.UTF_8);
    private static final CachePolicyConfig POLICY = CachePolicyConfig.defaults();

    private static CachedResponse stored(String... headers) {
        return new CachedResponse(
                200, HeaderList.of(headers), BODY, T, new Freshness(Duration.ofSeconds(60), Duration.ZERO));
    }

    @Test
    void conditionalRequestCarriesETagAndLastModified() {
        CachedResponse stored = stored("ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED);

        assertThat(Validators.conditionalRequestHeaders(stored))
                .isEqualTo(HeaderList.of("If-None-Match", "\"v1\"", "If-Modified-Since", LAST_MODIFIED));
    }

    @Test
    void weakETagIsSentAsItIs() {
        assertThat(Validators.conditionalRequestHeaders(stored("ETag", "W/\"v1\"")))
                .isEqualTo(HeaderList.of("If-None-Match", "W/\"v1\""));
    }

    @Test
    void lastModifiedAloneGivesIfModifiedSince() {
        assertThat(Validators.conditionalRequestHeaders(stored("Last-Modified", LAST_MODIFIED)))
                .isEqualTo(HeaderList.of("If-Modified-Since", LAST_MODIFIED));
    }

    @Test
    void invalidLastModifiedIsNotSent() {
        assertThat(Validators.conditionalRequestHeaders(stored("Last-Modified", "yesterday"))
                        .fields())
                .isEmpty();
    }

    @Test
    void withoutValidatorsTheRequestIsUnconditional() {
        assertThat(Validators.conditionalRequestHeaders(stored("Content-Type", "text/html"))
                        .fields())
                .isEmpty();
    }

    @Test
    void strongETagMatchesTheSameStrongETag() {
        assertThat(Validators.matches(stored("ETag", "\"v1\""), HeaderList.of("ETag", "\"v1\"")))
                .isTrue();
        assertThat(Validators.matches(stored("ETag", "\"v1\""), HeaderList.of("ETag", "\"v2\"")))
                .isFalse();
    }

    @Test
    void strongETagDoesNotMatchAWeakStoredOne() {
        assertThat(Validators.matches(stored("ETag", "W/\"v1\""), HeaderList.of("ETag", "\"v1\"")))
                .isFalse();
    }

    @Test
    void weakETagMatchesByWeakComparison() {
        assertThat(Validators.matches(stored("ETag", "\"v1\""), HeaderList.of("ETag", "W/\"v1\"")))
                .isTrue();
        assertThat(Validators.matches(stored("ETag", "W/\"v1\""), HeaderList.of("ETag", "W/\"v1\"")))
                .isTrue();
    }

    @Test
    void differentETagsDoNotMatchEvenWithTheSameLastModified() {
        CachedResponse stored = stored("ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED);

        assertThat(Validators.matches(stored, HeaderList.of("ETag", "\"v2\"", "Last-Modified", LAST_MODIFIED)))
                .isFalse();
    }

    @Test
    void withoutETagLastModifiedDecides() {
        CachedResponse stored = stored("ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED);

        assertThat(Validators.matches(stored, HeaderList.of("Last-Modified", LAST_MODIFIED)))
                .isTrue();
        assertThat(Validators.matches(stored, HeaderList.of("Last-Modified", HttpDates.format(T))))
                .isFalse();
    }

    @Test
    void strongETagNotStoredNeedsAStrongLastModified() {
        // The stored response has no ETag; the 304's strong ETag can only be matched by a strong
        // Last-Modified (stored Date at least a second after it, RFC 9110 §8.8.2.2).
        HeaderList newHeaders = HeaderList.of("ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED);

        assertThat(Validators.matches(stored("Last-Modified", LAST_MODIFIED, "Date", HttpDates.format(T)), newHeaders))
                .isTrue();
        assertThat(Validators.matches(stored("Last-Modified", LAST_MODIFIED, "Date", LAST_MODIFIED), newHeaders))
                .isFalse();
        assertThat(Validators.matches(stored("Last-Modified", LAST_MODIFIED), newHeaders))
                .isFalse();
    }

    @Test
    void no304ValidatorMatchesOnlyAStoredResponseWithout() {
        assertThat(Validators.matches(stored("Content-Type", "text/html"), HeaderList.of("Date", HttpDates.format(T))))
                .isTrue();
        assertThat(Validators.matches(stored("ETag", "\"v1\""), HeaderList.of("Date", HttpDates.format(T))))
                .isFalse();
    }

    @Test
    void refreshedReplacesFieldsOfTheSameNameInPlaceAndAppendsNewOnes() {
        CachedResponse stored = stored(
                "Cache-Control", "max-age=60",
                "Content-Type", "text/html",
                "X-Old", "1",
                "X-Old", "2",
                "ETag", "\"v1\"");

        CachedResponse refreshed = Validators.refreshed(
                stored,
                HeaderList.of(
                        "Date", HttpDates.format(T + 100_000),
                        "Cache-Control", "max-age=120",
                        "x-old", "3",
                        "X-New", "4",
                        "ETag", "\"v1\""),
                T + 99_000,
                T + 100_000,
                POLICY);

        assertThat(refreshed.headers())
                .isEqualTo(HeaderList.of(
                        "Cache-Control", "max-age=120",
                        "Content-Type", "text/html",
                        "x-old", "3",
                        "ETag", "\"v1\"",
                        "Date", HttpDates.format(T + 100_000),
                        "X-New", "4"));
    }

    @Test
    void refreshedKeepsBodyStatusAndContentLength() {
        CachedResponse stored = stored(
                "Content-Length",
                Integer.toString(BODY.length),
                "Content-Encoding",
                "gzip",
                "Cache-Control",
                "max-age=60");

        CachedResponse refreshed = Validators.refreshed(
                stored,
                HeaderList.of(
                        "Content-Length", "0",
                        "Content-Encoding", "br",
                        "Content-Range", "bytes 0-0/1",
                        "Transfer-Encoding", "chunked",
                        "Connection", "X-Hop",
                        "X-Hop", "1",
                        "Keep-Alive", "timeout=5"),
                T + 1_000,
                T + 1_000,
                POLICY);

        assertThat(refreshed.body().toArray()).isSameAs(BODY);
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.headers().all("Content-Length")).containsExactly(Integer.toString(BODY.length));
        assertThat(refreshed.headers().all("Content-Encoding")).containsExactly("gzip");
        assertThat(refreshed.headers().contains("Content-Range")).isFalse();
        assertThat(refreshed.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(refreshed.headers().contains("Connection")).isFalse();
        assertThat(refreshed.headers().contains("X-Hop"))
                .as("named by Connection")
                .isFalse();
        assertThat(refreshed.headers().contains("Keep-Alive")).isFalse();
    }

    @Test
    void refreshedUpdatesContentType() {
        CachedResponse refreshed = Validators.refreshed(
                stored("Content-Type", "text/plain"),
                HeaderList.of("Content-Type", "text/plain; charset=utf-8"),
                T,
                T,
                POLICY);

        assertThat(refreshed.headers().all("Content-Type")).containsExactly("text/plain; charset=utf-8");
    }

    @Test
    void refreshedRecomputesFreshnessWithTheNewTimes() {
        CachedResponse stored = stored("Date", HttpDates.format(T), "Cache-Control", "max-age=60");
        long requestTime = T + 600_000;
        long responseTime = T + 602_000;

        CachedResponse refreshed = Validators.refreshed(
                stored,
                HeaderList.of(
                        "Date", HttpDates.format(responseTime), "Cache-Control", "max-age=300, stale-if-error=60"),
                requestTime,
                responseTime,
                POLICY);

        assertThat(refreshed.storedAtMillis()).isEqualTo(responseTime);
        assertThat(refreshed.freshness().lifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(refreshed.freshness().age()).isEqualTo(Duration.ofSeconds(2)); // the 304's response delay
        assertThat(refreshed.freshness().staleIfError()).isEqualTo(Duration.ofMinutes(1));
        assertThat(refreshed.isFresh(responseTime + 297_999)).isTrue();
        assertThat(refreshed.isFresh(responseTime + 298_000)).isFalse();
    }

    @Test
    void refreshedKeepsStoredDirectivesWhenThe304HasNone() {
        CachedResponse stored = stored("Cache-Control", "max-age=60, must-revalidate");

        CachedResponse refreshed = Validators.refreshed(stored, HeaderList.of("ETag", "\"v1\""), T, T, POLICY);

        assertThat(refreshed.freshness().lifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(refreshed.freshness().mustRevalidate()).isTrue();
    }

    @Test
    void refreshedWithoutDateIsDatedAtItsResponseTime() {
        // Otherwise the old Date would make the refreshed response as old as the first one.
        CachedResponse stored = stored("Date", HttpDates.format(T), "Cache-Control", "max-age=60");
        long responseTime = T + 3_600_000;

        CachedResponse refreshed = Validators.refreshed(stored, HeaderList.of(), responseTime, responseTime, POLICY);

        assertThat(refreshed.headers().all("Date")).containsExactly(HttpDates.format(responseTime));
        assertThat(refreshed.freshness().age()).isZero();
    }

    @Test
    void refreshedUsesThe304sAgeButStoresNone() {
        CachedResponse stored = stored("Age", "500", "Cache-Control", "max-age=60");

        CachedResponse withAge =
                Validators.refreshed(stored, HeaderList.of("Date", HttpDates.format(T), "Age", "10"), T, T, POLICY);
        CachedResponse withoutAge =
                Validators.refreshed(stored, HeaderList.of("Date", HttpDates.format(T)), T, T, POLICY);

        assertThat(withAge.freshness().age()).isEqualTo(Duration.ofSeconds(10));
        assertThat(withAge.headers().contains("Age")).isFalse();
        assertThat(withoutAge.freshness().age())
                .as("the stored Age is not reused")
                .isZero();
        assertThat(withoutAge.headers().contains("Age")).isFalse();
    }

    @Test
    void refreshedReadsCdnCacheControlOfTheMergedFields() {
        CachedResponse stored = stored("Cache-Control", "max-age=60", "CDN-Cache-Control", "max-age=600");

        CachedResponse refreshed = Validators.refreshed(
                stored, HeaderList.of("Date", HttpDates.format(T), "Cache-Control", "max-age=5"), T, T, POLICY);

        assertThat(refreshed.freshness().lifetime()).isEqualTo(Duration.ofMinutes(10));
    }
}
