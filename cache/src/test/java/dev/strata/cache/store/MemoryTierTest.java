package dev.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

    @Test
    void closeEmptiesTheTier() {
        MemoryTier tier = MemoryTier.create(1 << 20, Runnable::run);
        tier.store(key("/a"), response("a"));

        tier.close();

        assertThat(tier.lookup(key("/a"))).isNull();
    }
}
