package dev.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.key.VaryKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MemoryTierTest {
    private static final Freshness ONE_MINUTE = new Freshness(Duration.ofMinutes(1), Duration.ZERO);

    private static CacheKey key(String path) {
        return CacheKey.from("http", "example.com", path, "", KeyPolicy.defaults());
    }

    private static CachedResponse response(byte[] body) {
        return new CachedResponse(200, HeaderList.of(), body, 1_000L, ONE_MINUTE);
    }

    private static CachedResponse response(String body) {
        return response(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lookupOfAStoredKeyGivesTheResponse() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        CachedResponse stored = response("hello");

        tier.store(key("/a"), stored);

        assertThat(tier.lookup(key("/a"))).isSameAs(stored);
        assertThat(tier.lookup(key("/b"))).isNull();
        assertThat(tier.size()).isEqualTo(1);
    }

    @Test
    void keysThatNormalizeAlikeShareAnEntry() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        CachedResponse stored = response("hello");

        tier.store(CacheKey.from("http", "Example.COM:80", "/a", "b=2&a=1", KeyPolicy.defaults()), stored);

        assertThat(tier.lookup(CacheKey.from("HTTP", "example.com", "/a", "a=1&b=2", KeyPolicy.defaults())))
                .isSameAs(stored);
    }

    @Test
    void storeReplacesTheEntry() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        CachedResponse second = response("second");

        tier.store(key("/a"), response("first"));
        tier.store(key("/a"), second);

        assertThat(tier.lookup(key("/a"))).isSameAs(second);
        assertThat(tier.size()).isEqualTo(1);
    }

    @Test
    void invalidateRemovesOnlyThatKey() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        tier.store(key("/a"), response("a"));
        tier.store(key("/b"), response("b"));

        tier.invalidate(key("/a"));
        tier.invalidate(key("/never-stored"));

        assertThat(tier.lookup(key("/a"))).isNull();
        assertThat(tier.lookup(key("/b"))).isNotNull();
    }

    @Test
    void entriesAreEvictedToStayWithinTheByteBudget() {
        long maxBytes = 10_000;
        MemoryTier tier = MemoryTier.create(maxBytes, Runnable::run);
        CachedResponse kilobyte = response(new byte[1_000]);

        for (int i = 0; i < 50; i++) {
            tier.store(key("/" + i), kilobyte);
        }

        long present = IntStream.range(0, 50)
                .filter(i -> tier.lookup(key("/" + i)) != null)
                .count();
        assertThat(present * kilobyte.weight()).isLessThanOrEqualTo(maxBytes);
        assertThat(present).isPositive();
        assertThat(tier.size()).isEqualTo(present);
    }

    @Test
    void readsEvictionsAndBytesAreCountedForTheNodesMetrics() {
        long maxBytes = 10_000;
        MemoryTier tier = MemoryTier.create(maxBytes, Runnable::run);
        CachedResponse kilobyte = response(new byte[1_000]);
        tier.store(key("/0"), kilobyte);

        assertThat(tier.lookup(key("/0"))).isNotNull();
        assertThat(tier.lookup(key("/absent"))).isNull();
        assertThat(tier.hitCount()).isEqualTo(1);
        assertThat(tier.missCount()).isEqualTo(1);
        assertThat(tier.usedBytes()).isEqualTo(kilobyte.weight());
        assertThat(tier.maxBytes()).isEqualTo(maxBytes);
        assertThat(tier.evictionCount()).isZero();

        for (int i = 1; i < 50; i++) {
            tier.store(key("/" + i), kilobyte);
        }
        assertThat(tier.evictionCount()).isEqualTo(50 - tier.size());
        assertThat(tier.usedBytes()).isEqualTo(tier.size() * kilobyte.weight()).isLessThanOrEqualTo(maxBytes);
    }

    @Test
    void entryHeavierThanTheWholeBudgetIsNotKept() {
        MemoryTier tier = MemoryTier.create(10_000, Runnable::run);

        tier.store(key("/huge"), response(new byte[20_000]));

        assertThat(tier.lookup(key("/huge"))).isNull();
        assertThat(tier.size()).isZero();
    }

    @Test
    void weightCountsBodyAndHeaders() {
        CachedResponse bare = response(new byte[100]);
        CachedResponse withHeaders =
                new CachedResponse(200, HeaderList.of("Content-Type", "text/plain"), new byte[100], 0, ONE_MINUTE);

        assertThat(bare.weight()).isGreaterThanOrEqualTo(100);
        assertThat(withHeaders.weight()).isGreaterThan(bare.weight());
    }

    private static VaryKey variant(String path, String language) {
        return VaryKey.of(key(path), List.of("accept-language"), name -> List.of(language));
    }

    @Test
    void variantsOfOneUrlCoexistBehindItsMarker() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        CachedResponse english = response("english");
        CachedResponse german = response("deutsch");

        tier.store(variant("/a", "en"), english);
        tier.store(variant("/a", "de"), german);

        assertThat(tier.lookup(key("/a"))).isEqualTo(new VaryMarker(List.of("accept-language")));
        assertThat(tier.lookup(variant("/a", "en"))).isSameAs(english);
        assertThat(tier.lookup(variant("/a", "de"))).isSameAs(german);
        assertThat(tier.lookup(variant("/a", "fr"))).isNull();
    }

    @Test
    void invalidatingAUrlMakesEveryVariantUnreachable() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        tier.store(variant("/a", "en"), response("english"));
        tier.store(variant("/b", "en"), response("other url"));

        tier.invalidate(key("/a"));
        tier.store(variant("/a", "de"), response("a new marker"));

        assertThat(tier.lookup(variant("/a", "en"))).isNull();
        assertThat(tier.lookup(variant("/a", "de"))).isNotNull();
        assertThat(tier.lookup(variant("/b", "en"))).isNotNull();
    }

    @Test
    void aResponseThatNoLongerVariesOrVariesOnOtherFieldsHidesTheOldVariants() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        CachedResponse plain = response("plain");
        VaryKey byEncoding = VaryKey.of(key("/a"), List.of("accept-encoding"), name -> List.of("gzip"));
        tier.store(variant("/a", "en"), response("english"));

        tier.store(key("/a"), plain);
        assertThat(tier.lookup(key("/a"))).isSameAs(plain);
        tier.store(variant("/a", "de"), response("deutsch"));
        assertThat(tier.lookup(variant("/a", "en"))).isNull();

        tier.store(byEncoding, response("gzip"));
        assertThat(tier.lookup(key("/a"))).isEqualTo(new VaryMarker(List.of("accept-encoding")));
        assertThat(tier.lookup(variant("/a", "de"))).isNull();
        assertThat(tier.lookup(byEncoding)).isNotNull();
    }

    @Test
    void closeEmptiesTheTier() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        tier.store(key("/a"), response("a"));

        tier.close();

        assertThat(tier.lookup(key("/a"))).isNull();
    }

    @Test
    void anEncodedVariantIsUsedOnlyForTheBodyItEncodes() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        CachedResponse first = response("first body");
        EncodedKey br = EncodedKey.of(key("/a"), "br");
        tier.store(key("/a"), first);
        tier.store(br, EncodedBody.of("br", first, new byte[] {1}));

        EncodedBody found = java.util.Objects.requireNonNull(tier.lookup(br), "stored variant");

        assertThat(found.isEncodingOf(first)).isTrue();
        CachedResponse refreshed = new CachedResponse(
                200, first.headers(), first.body(), first.storedAtMillis() + 60_000, first.freshness());
        assertThat(found.isEncodingOf(refreshed))
                .as("a 304 refresh keeps the body")
                .isTrue();
        assertThat(found.isEncodingOf(response("first body".getBytes(StandardCharsets.UTF_8))))
                .as("equal bytes read again")
                .isTrue();
        assertThat(found.isEncodingOf(response("other body"))).isFalse();
        assertThat(found.isEncodingOf(response("first bodies"))).isFalse();
        assertThat(tier.lookup(EncodedKey.of(key("/a"), "gzip"))).isNull();
        assertThat(tier.lookup(key("/a"))).isSameAs(first);
    }
}
