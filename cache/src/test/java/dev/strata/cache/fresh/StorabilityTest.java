package dev.strata.cache.fresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CachePolicyConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorabilityTest {
    private static final CachePolicyConfig POLICY = CachePolicyConfig.defaults();
    private static final HeaderList NO_HEADERS = HeaderList.of();

    private static boolean storable(int status, String... responseHeaders) {
        return Storability.isStorable("GET", status, NO_HEADERS, HeaderList.of(responseHeaders), POLICY);
    }

    private static boolean storableWithRequest(HeaderList request, String... responseHeaders) {
        return Storability.isStorable("GET", 200, request, HeaderList.of(responseHeaders), POLICY);
    }

    @Test
    void plainGet200IsStored() {
        assertThat(storable(200)).isTrue();
    }

    @Test
    void onlyGetIsStored() {
        HeaderList response = HeaderList.of("Cache-Control", "max-age=60");

        assertThat(Storability.isStorable("HEAD", 200, NO_HEADERS, response, POLICY))
                .isFalse();
        assertThat(Storability.isStorable("POST", 200, NO_HEADERS, response, POLICY))
                .isFalse();
        assertThat(Storability.isStorable("PUT", 200, NO_HEADERS, response, POLICY))
                .isFalse();
        assertThat(Storability.isStorable("get", 200, NO_HEADERS, response, POLICY))
                .isFalse();
    }

    @Test
    void noStoreInTheResponseIsNotStored() {
        assertThat(storable(200, "Cache-Control", "max-age=60, no-store")).isFalse();
        assertThat(storable(200, "Cache-Control", "No-Store")).isFalse();
    }

    @Test
    void noStoreInTheRequestIsNotStored() {
        assertThat(storableWithRequest(HeaderList.of("Cache-Control", "no-store"), "Cache-Control", "max-age=60"))
                .isFalse();
    }

    @Test
    void privateIsNotStored() {
        assertThat(storable(200, "Cache-Control", "private, max-age=60")).isFalse();
        assertThat(storable(200, "Cache-Control", "private=\"Set-Cookie\"")).isFalse();
    }

    @Test
    void authorizedRequestIsNotStoredByDefault() {
        assertThat(storableWithRequest(HeaderList.of("Authorization", "Bearer x"), "Cache-Control", "max-age=60"))
                .isFalse();
    }

    @Test
    void authorizedRequestIsStoredWhenTheResponseAllowsIt() {
        HeaderList request = HeaderList.of("authorization", "Basic eDp5");

        assertThat(storableWithRequest(request, "Cache-Control", "public")).isTrue();
        assertThat(storableWithRequest(request, "Cache-Control", "s-maxage=60")).isTrue();
        assertThat(storableWithRequest(request, "Cache-Control", "must-revalidate, max-age=60"))
                .isTrue();
    }

    @Test
    void setCookieIsNotStoredUnlessThePolicyAllowsIt() {
        HeaderList response = HeaderList.of("Set-Cookie", "a=1", "Cache-Control", "max-age=60");
        CachePolicyConfig allowing =
                new CachePolicyConfig(true, false, List.of(), true, false, 0.1, Duration.ofDays(1), Duration.ofDays(1));

        assertThat(Storability.isStorable("GET", 200, NO_HEADERS, response, POLICY))
                .isFalse();
        assertThat(Storability.isStorable("GET", 200, NO_HEADERS, response, allowing))
                .isTrue();
    }

    @Test
    void varyIsStoredAsAVariant() {
        assertThat(storable(200, "Vary", "Accept-Encoding", "Cache-Control", "max-age=60"))
                .isTrue();
    }

    @Test
    void varyStarIsNeverStored() {
        assertThat(storable(200, "Vary", "Accept-Encoding, *", "Cache-Control", "max-age=60"))
                .isFalse();
        assertThat(storable(200, "Vary", "*", "Cache-Control", "max-age=60")).isFalse();
    }

    @Test
    void partialContentIsNotStored() {
        assertThat(storable(206, "Content-Range", "bytes 0-9/100", "Cache-Control", "max-age=60"))
                .isFalse();
    }

    @Test
    void informationalIsNotStored() {
        assertThat(storable(100, "Cache-Control", "max-age=60")).isFalse();
    }

    @Test
    void serverErrorIsStoredOnlyWithExplicitFreshness() {
        assertThat(storable(500)).isFalse();
        assertThat(storable(500, "Cache-Control", "max-age=10")).isTrue();
        assertThat(storable(500, "Cache-Control", "s-maxage=10")).isTrue();
        assertThat(storable(503, "Expires", "Sun, 06 Nov 1994 08:49:37 GMT")).isTrue();
    }

    @Test
    void publicMakesAnyFinalStatusStorable() {
        assertThat(storable(302)).isFalse();
        assertThat(storable(302, "Cache-Control", "public")).isTrue();
    }

    @Test
    void notFoundIsStoredByDefault() {
        assertThat(storable(404)).isTrue();
        assertThat(storable(410)).isTrue();
        assertThat(storable(301)).isTrue();
    }
}
