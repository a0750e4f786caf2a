package dev.strata.cache.lookup;

import static dev.strata.cache.lookup.ClientConditionals.Outcome.NOT_MODIFIED;
import static dev.strata.cache.lookup.ClientConditionals.Outcome.PRECONDITION_FAILED;
import static dev.strata.cache.lookup.ClientConditionals.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.fresh.HttpDates;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientConditionalsTest {
    /** Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final long T = 784_111_777_000L;

    private static final long MODIFIED = T - 3_600_000;
    private static final byte[] BODY = "hi".getBytes(StandardCharsets.UTF_8);
    private static final CachedResponse STORED = stored(
            200,
            "ETag",
            "\"v1\"",
            "Last-Modified",
            HttpDates.format(MODIFIED),
            "Date",
            HttpDates.format(T),
            "Content-Type",
            "text/plain",
            "Cache-Control",
            "max-age=60",
            "Vary",
            "Accept-Encoding",
            "Content-Location",
            "/a.txt",
            "Expires",
            HttpDates.format(T + 60_000),
            "X-Custom",
            "1");

    private static CachedResponse stored(int status, String... headers) {
        return new CachedResponse(
                status, HeaderList.of(headers), BODY, T, new Freshness(Duration.ofSeconds(60), Duration.ZERO));
    }

    private static ClientConditionals.Outcome get(String... requestHeaders) {
        return ClientConditionals.evaluate(HeaderList.of(requestHeaders), "GET", STORED);
    }

    @Test
    void noConditionalsProceed() {
        assertThat(get()).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchWithTheStoredETagIsNotModified() {
        assertThat(get("If-None-Match", "\"v1\"")).isEqualTo(NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"v0\", \"v1\"")).isEqualTo(NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"v0\"", "If-None-Match", "\"v1\"")).isEqualTo(NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchUsesWeakComparison() {
        assertThat(get("If-None-Match", "W/\"v1\"")).isEqualTo(NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchStarMatchesAnyStoredResponse() {
        assertThat(get("If-None-Match", "*")).isEqualTo(NOT_MODIFIED);
    }

    @Test
    void ifNoneMatchWithOtherETagsProceeds() {
        assertThat(get("If-None-Match", "\"v0\", \"v2\"")).isEqualTo(PROCEED);
    }

    @Test
    void ifNoneMatchFailingForOtherMethodsIsPreconditionFailed() {
        assertThat(ClientConditionals.evaluate(HeaderList.of("If-None-Match", "\"v1\""), "HEAD", STORED))
                .isEqualTo(NOT_MODIFIED);
        assertThat(ClientConditionals.evaluate(HeaderList.of("If-None-Match", "\"v1\""), "PUT", STORED))
                .isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        // The tag does not match, so the response is sent even though the date says unchanged.
        assertThat(get("If-None-Match", "\"v0\"", "If-Modified-Since", HttpDates.format(T)))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifModifiedSinceAtOrAfterLastModifiedIsNotModified() {
        assertThat(get("If-Modified-Since", HttpDates.format(MODIFIED))).isEqualTo(NOT_MODIFIED);
        assertThat(get("If-Modified-Since", HttpDates.format(T))).isEqualTo(NOT_MODIFIED);
        assertThat(get("If-Modified-Since", HttpDates.format(MODIFIED - 1_000))).isEqualTo(PROCEED);
    }

    @Test
    void invalidOrRepeatedIfModifiedSinceIsIgnored() {
        assertThat(get("If-Modified-Since", "yesterday")).isEqualTo(PROCEED);
        assertThat(get("If-Modified-Since", HttpDates.format(T), "If-Modified-Since", HttpDates.format(T)))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifModifiedSinceIsOnlyForGetAndHead() {
        HeaderList request = HeaderList.of("If-Modified-Since", HttpDates.format(T));

        assertThat(ClientConditionals.evaluate(request, "HEAD", STORED)).isEqualTo(NOT_MODIFIED);
        assertThat(ClientConditionals.evaluate(request, "POST", STORED)).isEqualTo(PROCEED);
    }

    @Test
    void ifModifiedSinceWithoutLastModifiedUsesTheStoredDate() {
        CachedResponse stored = stored(200, "Date", HttpDates.format(T - 60_000));
        HeaderList request = HeaderList.of("If-Modified-Since", HttpDates.format(T - 60_000));

        assertThat(ClientConditionals.evaluate(request, "GET", stored)).isEqualTo(NOT_MODIFIED);
        assertThat(ClientConditionals.evaluate(
                        HeaderList.of("If-Modified-Since", HttpDates.format(T - 61_000)), "GET", stored))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifModifiedSinceWithoutLastModifiedOrDateUsesTheStoredTime() {
        CachedResponse stored = stored(200);

        assertThat(ClientConditionals.evaluate(HeaderList.of("If-Modified-Since", HttpDates.format(T)), "GET", stored))
                .isEqualTo(NOT_MODIFIED);
        assertThat(ClientConditionals.evaluate(
                        HeaderList.of("If-Modified-Since", HttpDates.format(T - 1_000)), "GET", stored))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(get("If-Match", "\"v1\"")).isEqualTo(PROCEED);
        assertThat(get("If-Match", "W/\"v1\"")).isEqualTo(PRECONDITION_FAILED);
        assertThat(get("If-Match", "\"v2\"")).isEqualTo(PRECONDITION_FAILED);
        assertThat(get("If-Match", "*")).isEqualTo(PROCEED);
    }

    @Test
    void ifMatchFailsWithoutAStoredETag() {
        CachedResponse stored = stored(200, "Last-Modified", HttpDates.format(MODIFIED));

        assertThat(ClientConditionals.evaluate(HeaderList.of("If-Match", "\"v1\""), "GET", stored))
                .isEqualTo(PRECONDITION_FAILED);
        assertThat(ClientConditionals.evaluate(HeaderList.of("If-Match", "*"), "GET", stored))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifMatchComesBeforeIfNoneMatch() {
        assertThat(get("If-Match", "\"v2\"", "If-None-Match", "\"v1\"")).isEqualTo(PRECONDITION_FAILED);
        assertThat(get("If-Match", "\"v1\"", "If-None-Match", "\"v1\"")).isEqualTo(NOT_MODIFIED);
    }

    @Test
    void ifUnmodifiedSinceFailsWhenModifiedLater() {
        assertThat(get("If-Unmodified-Since", HttpDates.format(MODIFIED - 1_000)))
                .isEqualTo(PRECONDITION_FAILED);
        assertThat(get("If-Unmodified-Since", HttpDates.format(MODIFIED))).isEqualTo(PROCEED);
        assertThat(get("If-Unmodified-Since", "not a date")).isEqualTo(PROCEED);
    }

    @Test
    void ifUnmodifiedSinceIsIgnoredWithIfMatch() {
        assertThat(get("If-Match", "\"v1\"", "If-Unmodified-Since", HttpDates.format(MODIFIED - 1_000)))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifUnmodifiedSinceIsIgnoredWithoutLastModified() {
        assertThat(ClientConditionals.evaluate(
                        HeaderList.of("If-Unmodified-Since", HttpDates.format(0)), "GET", stored(200)))
                .isEqualTo(PROCEED);
    }

    @Test
    void ifUnmodifiedSinceComesBeforeIfNoneMatch() {
        assertThat(get("If-Unmodified-Since", HttpDates.format(MODIFIED - 1_000), "If-None-Match", "\"v1\""))
                .isEqualTo(PRECONDITION_FAILED);
    }

    @Test
    void preconditionsAreIgnoredForANon2xxStoredResponse() {
        CachedResponse notFound = stored(404, "ETag", "\"v1\"");

        assertThat(ClientConditionals.evaluate(HeaderList.of("If-None-Match", "\"v1\""), "GET", notFound))
                .isEqualTo(PROCEED);
        assertThat(ClientConditionals.evaluate(HeaderList.of("If-Match", "\"v2\""), "GET", notFound))
                .isEqualTo(PROCEED);
    }

    @Test
    void unquotedETagsStillMatchEachOther() {
        CachedResponse sloppy = stored(200, "ETag", "abc123");

        assertThat(ClientConditionals.evaluate(HeaderList.of("If-None-Match", "abc123"), "GET", sloppy))
                .isEqualTo(NOT_MODIFIED);
    }

    @Test
    void etagWithACommaIsOneMember() {
        CachedResponse stored = stored(200, "ETag", "\"a,b\"");

        assertThat(ClientConditionals.evaluate(HeaderList.of("If-None-Match", "\"x\", \"a,b\""), "GET", stored))
                .isEqualTo(NOT_MODIFIED);
        assertThat(ClientConditionals.evaluate(HeaderList.of("If-None-Match", "\"a\""), "GET", stored))
                .isEqualTo(PROCEED);
    }

    @Test
    void notModifiedCarriesTheValidatorAndCachingFieldsOnly() {
        assertThat(ClientConditionals.notModifiedHeaders(STORED))
                .isEqualTo(HeaderList.of(
                        "ETag", "\"v1\"",
                        "Last-Modified", HttpDates.format(MODIFIED),
                        "Date", HttpDates.format(T),
                        "Cache-Control", "max-age=60",
                        "Vary", "Accept-Encoding",
                        "Content-Location", "/a.txt",
                        "Expires", HttpDates.format(T + 60_000)));
    }
}
