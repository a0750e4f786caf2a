package dev.strata.cache.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.store.HeaderList;
import org.junit.jupiter.api.Test;

class InvalidationTest {
    private static final CacheKey TARGET = key("https", "example.com", "/a/form", "x=1");

    private static CacheKey key(String scheme, String host, String path, String query) {
        return CacheKey.from(scheme, host, path, query, KeyPolicy.defaults());
    }

    @Test
    void theTargetAloneWithoutLocations() {
        assertThat(Invalidation.targets(TARGET, HeaderList.of("Content-Type", "text/plain"), KeyPolicy.defaults()))
                .containsExactly(TARGET);
    }

    @Test
    void relativeLocationsAreResolvedAgainstTheTarget() {
        HeaderList response = HeaderList.of("Location", "/other", "Content-Location", "item?b=2&a=1");

        assertThat(Invalidation.targets(TARGET, response, KeyPolicy.defaults()))
                .containsExactly(
                        TARGET,
                        key("https", "example.com", "/other", ""),
                        key("https", "example.com", "/a/item", "a=1&b=2"));
    }

    @Test
    void absoluteLocationsOnTheSameHostCountAfterNormalization() {
        HeaderList response =
                HeaderList.of("Location", "http://EXAMPLE.com:8080/x", "Content-Location", "//example.com./y");

        assertThat(Invalidation.targets(TARGET, response, KeyPolicy.defaults()))
                .containsExactly(TARGET, key("http", "example.com", "/x", ""), key("https", "example.com", "/y", ""));
    }

    @Test
    void locationsOnAnotherHostAreIgnored() {
        HeaderList response =
                HeaderList.of("Location", "https://victim.example/x", "Content-Location", "//sub.example.com/y");

        assertThat(Invalidation.targets(TARGET, response, KeyPolicy.defaults())).containsExactly(TARGET);
    }

    @Test
    void unusableReferencesAreIgnoredAndRepeatsDropped() {
        HeaderList response = HeaderList.of("Location", "http://[bad", "Content-Location", "form?x=1");

        assertThat(Invalidation.targets(TARGET, response, KeyPolicy.defaults())).containsExactly(TARGET);
        assertThat(Invalidation.targets(
                        TARGET, HeaderList.of("Location", "mailto:a@example.com"), KeyPolicy.defaults()))
                .containsExactly(TARGET);
    }
}
