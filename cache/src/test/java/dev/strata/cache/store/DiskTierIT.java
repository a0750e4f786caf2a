package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.key.VaryKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskTierIT {
    private static final long MAX_BYTES = 256L << 20;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String QUARANTINE_SUFFIX = ".broken-20240102-030405";

    private static CacheKey key(String path) {
        return CacheKey.from("https", "example.com", path, "", KeyPolicy.defaults());
    }

    private static CachedResponse response(String body) {
        return new CachedResponse(
                200,
                HeaderList.of(
                        "Content-Type", "text/plain; charset=utf-8",
                        "Set-Cookie", "a=1",
                        "Set-Cookie", "b=2",
                        "ETag", "\"v1\""),
                body.getBytes(StandardCharsets.UTF_8),
                1_700_000_000_123L,
                new Freshness(Duration.ofSeconds(60), Duration.ofMillis(1_500)));
    }

    /** A 200 with no header fields, fresh for an hour, around {@code body}. */
    private static CachedResponse withBody(byte[] body) {
        return new CachedResponse(200, HeaderList.of(), body, 7, new Freshness(Duration.ofHours(1), Duration.ZERO));
    }

    /** {@code found}, failing the test when it is null. */
    private static CachedResponse present(@Nullable StoredEntry found) {
        assertThat(found).as("stored entry").isInstanceOf(CachedResponse.class);
        return (CachedResponse) requireNonNull(found);
    }

    private static VaryKey variant(CacheKey key, String language) {
        return VaryKey.of(key, List.of("accept-language"), name -> List.of(language));
    }

    private static void assertSameResponse(CachedResponse actual, CachedResponse expected) {
        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.headers()).isEqualTo(expected.headers());
        assertThat(actual.body()).isEqualTo(expected.body());
        assertThat(actual.storedAtMillis()).isEqualTo(expected.storedAtMillis());
        assertThat(actual.freshness()).isEqualTo(expected.freshness());
    }

    @Test
    void lookupGivesWhatWasStored(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        CachedResponse stored = response("hello, disk");

        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            tier.store(key("/a"), stored);

            CachedResponse found = present(tier.lookup(key("/a")));

            assertSameResponse(found, stored);
            assertThat(tier.lookup(key("/b"))).isNull();
            assertThat(tier.errorCount()).isZero();
            assertThat(tier.corruptCount()).isZero();
            assertThat(tier.dir()).isEqualTo(dir);
        }
    }

    @Test
    void readsBytesAndEntriesAreReportedForTheNodesMetrics(@TempDir Path tmp) {
        DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK);
        try (tier) {
            tier.store(key("/a"), response("hello, disk"));
            tier.store(key("/b"), response("hello again"));

            assertThat(tier.lookup(key("/a"))).isNotNull();
            assertThat(tier.lookup(key("/absent"))).isNull();

            assertThat(tier.hitCount()).isEqualTo(1);
            assertThat(tier.missCount()).isEqualTo(1);
            assertThat(tier.maxBytes()).isEqualTo(MAX_BYTES);
            assertThat(tier.usedBytes()).as("unflushed, in the write buffers").isPositive();
            assertThat(tier.entryCount()).isEqualTo(2);
            assertThat(tier.bytesWritten()).isGreaterThan(2L * "hello, disk".length());
            assertThat(tier.bytesRead()).isPositive();
            assertThat(tier.compactionCount()).isZero();
        }
        assertThat(tier.usedBytes()).as("closed").isZero();
        assertThat(tier.entryCount()).isZero();
        assertThat(tier.bytesWritten()).isZero();
    }

    @Test
    void usedBytesCountsEveryFileWhenTheirKeysOverlap(@TempDir Path tmp) {
        // Each opening flushes what the last one wrote into a file of its own, and every file spans
        // the same keys, as files do under FIFO compaction when URLs arrive in any order.
        int sessions = 3;
        int perSession = 20;
        Random random = new Random(7);
        for (int session = 0; session < sessions; session++) {
            try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
                for (int i = 0; i < perSession; i++) {
                    byte[] body = new byte[64 << 10];
                    random.nextBytes(body);
                    tier.store(key("/k" + i + "-" + session), withBody(body));
                }
            }
        }

        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
            assertThat(tier.entryCount()).isEqualTo((long) sessions * perSession);
            assertThat(tier.usedBytes()).isGreaterThanOrEqualTo((long) sessions * perSession * (64 << 10));
        }
    }

    @Test
    void aSmallTierHoldsAboutItsBudgetOnceItsFilesAreDropped(@TempDir Path tmp) {
        // 3.75 MiB of bodies through a 1 MiB tier. Its write buffers must be small beside the
        // budget: with a buffer as large as the budget, up to a budget's worth would wait unflushed
        // on top of a budget's worth of files. (Not a multiple of 1 MiB: with the old 1 MiB buffer
        // that leaves 0.75 MiB unflushed, which is what this test catches.)
        long budget = 1L << 20;
        int bodies = 240;
        int bodySize = 16 << 10;
        Random random = new Random(11);
        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), budget, CLOCK)) {
            for (int i = 0; i < 50; i++) {
                tier.store(key("/small" + i), response("a few bytes"));
            }
            assertThat(tier.usedBytes())
                    .as("a tier of a few small entries holds little, whatever its buffers may grow to")
                    .isLessThan(budget / 8);
            for (int i = 0; i < bodies; i++) {
                byte[] body = new byte[bodySize];
                random.nextBytes(body);
                tier.store(key("/b" + i), withBody(body));
            }

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(tier.usedBytes()).isLessThanOrEqualTo(budget + budget / 4));
            assertThat(tier.compactionCount())
                    .as("files dropped for the budget")
                    .isPositive();
            int lastKept = (int) (budget / 2 / bodySize);
            for (int i = bodies - lastKept; i < bodies; i++) {
                assertThat(tier.lookup(key("/b" + i))).as("recent body /b" + i).isNotNull();
            }
        }
    }

    @Test
    void largeBodyRoundTrips(@TempDir Path tmp) {
        byte[] body = new byte[3 << 20];
        new Random(42).nextBytes(body);
        CachedResponse stored = withBody(body);

        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
            tier.store(key("/big"), stored);

            CachedResponse found = present(tier.lookup(key("/big")));

            assertThat(found.body().toArray()).isEqualTo(body);
            assertThat(tier.errorCount()).isZero();
        }
    }

    @Test
    void storeReplacesTheEntry(@TempDir Path tmp) {
        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
            tier.store(key("/a"), response("first"));
            tier.store(key("/a"), response("second, and longer"));

            CachedResponse found = present(tier.lookup(key("/a")));

            assertThat(new String(found.body().toArray(), StandardCharsets.UTF_8))
                    .isEqualTo("second, and longer");
        }
    }

    @Test
    void entriesSurviveCloseAndReopen(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        CachedResponse stored = response("persistent");
        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            tier.store(key("/a"), stored);
        }

        try (DiskTier reopened = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            CachedResponse found = present(reopened.lookup(key("/a")));

            assertSameResponse(found, stored);
            assertThat(reopened.errorCount()).isZero();
            assertThat(reopened.corruptCount()).isZero();
        }
        assertThat(quarantinedSiblings(dir)).isEmpty();
    }

    @Test
    void invalidateRemovesTheEntryForGood(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            tier.store(key("/a"), response("a"));
            tier.store(key("/b"), response("b"));

            tier.invalidate(key("/a"));
            tier.invalidate(key("/never-stored"));

            assertThat(tier.lookup(key("/a"))).isNull();
            assertThat(tier.lookup(key("/b"))).isNotNull();
            assertThat(tier.errorCount()).isZero();
        }
        try (DiskTier reopened = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            assertThat(reopened.lookup(key("/a"))).isNull();
            assertThat(reopened.lookup(key("/b"))).isNotNull();
        }
    }

    @Test
    void directoryOfGarbageIsQuarantinedAndReplaced(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("disk");
        writeGarbage(dir);

        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            Path aside = tmp.resolve("disk" + QUARANTINE_SUFFIX);
            assertThat(aside).isDirectory();
            assertThat(aside.resolve("CURRENT")).exists();
            assertThat(quarantinedSiblings(dir)).containsExactly(aside);

            CachedResponse stored = response("fresh start");
            tier.store(key("/a"), stored);
            CachedResponse found = present(tier.lookup(key("/a")));
            assertSameResponse(found, stored);
            assertThat(tier.errorCount()).isZero();
        }
    }

    @Test
    void directoryWhosePathMentionsLockIsStillQuarantinedWhenCorrupt(@TempDir Path tmp) throws IOException {
        // "blocks" contains "lock": a corrupt directory must not be mistaken for a locked one.
        Path dir = tmp.resolve("blocks");
        writeGarbage(dir);

        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            assertThat(tmp.resolve("blocks" + QUARANTINE_SUFFIX)).isDirectory();
            tier.store(key("/a"), response("a"));
            assertThat(tier.lookup(key("/a"))).isNotNull();
        }
    }

    @Test
    void secondQuarantineInTheSameSecondGetsItsOwnName(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("disk");
        writeGarbage(dir);
        DiskTier.open(dir, MAX_BYTES, CLOCK).close();
        writeGarbage(dir);

        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            assertThat(quarantinedSiblings(dir))
                    .containsExactlyInAnyOrder(
                            tmp.resolve("disk" + QUARANTINE_SUFFIX), tmp.resolve("disk" + QUARANTINE_SUFFIX + "-1"));
            tier.store(key("/a"), response("a"));
            assertThat(tier.lookup(key("/a"))).isNotNull();
        }
    }

    @Test
    void directoryInUseIsRefusedAndLeftAlone(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        try (DiskTier first = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            first.store(key("/a"), response("a"));

            assertThatThrownBy(() -> DiskTier.open(dir, MAX_BYTES, CLOCK))
                    .isInstanceOf(CacheStorageException.class)
                    .hasMessageContaining("in use")
                    .hasMessageContaining(dir.toString());

            assertThat(dir).isDirectory();
            assertThat(quarantinedSiblings(dir)).isEmpty();
            assertThat(first.lookup(key("/a"))).isNotNull();
            first.store(key("/b"), response("b"));
            assertThat(first.lookup(key("/b"))).isNotNull();
            assertThat(first.errorCount()).isZero();
        }
        try (DiskTier reopened = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            assertThat(reopened.lookup(key("/a"))).isNotNull();
            assertThat(reopened.lookup(key("/b"))).isNotNull();
        }
    }

    @Test
    void useAfterCloseMissesAndIgnoresWritesInsteadOfCrashing(@TempDir Path tmp) {
        DiskTier tier = DiskTier.open(tmp.resolve("cache"), MAX_BYTES, CLOCK);
        tier.store(key("/a"), response("a"));
        tier.close();

        assertThat(tier.lookup(key("/a"))).isNull();
        tier.store(key("/b"), response("b"));
        tier.invalidate(key("/a"));
        tier.close(); // a second close is harmless too
        try (DiskTier reopened = DiskTier.open(tmp.resolve("cache"), MAX_BYTES, CLOCK)) {
            assertSameResponse(present(reopened.lookup(key("/a"))), response("a"));
            assertThat(reopened.lookup(key("/b"))).isNull();
        }
    }

    @Test
    void tieredCachePromotesADiskHitToMemory(@TempDir Path tmp) {
        CachedResponse stored = response("tiered");
        try (TieredCache cache = new TieredCache(
                MemoryTier.create(1 << 20, Runnable::run), DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK))) {
            cache.disk().store(key("/a"), stored);
            assertThat(cache.lookupMemory(key("/a"))).isNull();

            assertThat(cache.lookupDisk(key("/a"))).isNotNull();

            assertThat(cache.lookupMemory(key("/a"))).isNotNull();
            cache.invalidate(key("/a"));
            assertThat(cache.lookupMemory(key("/a"))).isNull();
            assertThat(cache.lookupDisk(key("/a"))).isNull();
        }
    }

    @Test
    void memoryHoldsBodiesInDirectMemoryAndALookupReturnsTheEntryItHolds(@TempDir Path tmp) {
        CachedResponse stored = response("direct");
        try (TieredCache cache = new TieredCache(
                MemoryTier.create(1 << 20, Runnable::run), DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK))) {
            cache.store(key("/a"), stored);
            CachedResponse inMemory = present(cache.lookupMemory(key("/a")));
            assertThat(inMemory.body().isDirect()).isTrue();
            assertThat(inMemory).isEqualTo(stored);
            assertThat(cache.lookupMemory(key("/a"))).isSameAs(inMemory);
            assertThat(present(cache.disk().lookup(key("/a"))).body().isDirect())
                    .as("what the disk tier reads is on the heap")
                    .isFalse();

            cache.memory().invalidate(key("/a"));
            CachedResponse promoted = present(cache.lookupDisk(key("/a")));
            assertThat(promoted.body().isDirect()).isTrue();
            assertThat(cache.lookupMemory(key("/a")))
                    .as("revalidation compares by identity: a disk hit is the entry memory now holds")
                    .isSameAs(promoted);

            EncodedKey br = EncodedKey.of(key("/a"), "br");
            cache.store(br, EncodedBody.of("br", promoted, new byte[] {1, 2, 3}));
            EncodedBody encoded = requireNonNull(cache.lookupMemory(br));
            assertThat(encoded.body().isDirect()).as("an encoded variant too").isTrue();
            assertThat(encoded.isEncodingOf(promoted)).isTrue();
            cache.memory().invalidate(key("/a"));
            assertThat(requireNonNull(cache.lookupDisk(br)).body().isDirect()).isTrue();
        }
    }

    @Test
    void aResponseOverTheMemoryLimitLivesOnDiskOnlyAndReplacesAnOlderMemoryCopy(@TempDir Path tmp) {
        try (TieredCache cache = new TieredCache(
                MemoryTier.create(1 << 20, Runnable::run), DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK), 8)) {
            cache.store(key("/a"), response("small"));
            assertThat(cache.lookupMemory(key("/a"))).isNotNull();

            cache.store(key("/a"), response("larger than eight bytes"));

            assertThat(cache.lookupMemory(key("/a"))).isNull();
            assertSameResponse(present(cache.lookupDisk(key("/a"))), response("larger than eight bytes"));
            assertThat(cache.lookupMemory(key("/a"))).as("not promoted").isNull();
        }
    }

    @Test
    void variantsOfOneUrlCoexistAndSurviveAReopen(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            tier.store(variant(key("/page"), "en"), response("english"));
            tier.store(variant(key("/page"), "de"), response("deutsch"));

            assertThat(tier.lookup(key("/page"))).isEqualTo(new VaryMarker(List.of("accept-language")));
            assertSameResponse(present(tier.lookup(variant(key("/page"), "en"))), response("english"));
        }
        try (DiskTier reopened = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            assertSameResponse(present(reopened.lookup(variant(key("/page"), "en"))), response("english"));
            assertSameResponse(present(reopened.lookup(variant(key("/page"), "de"))), response("deutsch"));
            assertThat(reopened.lookup(variant(key("/page"), "fr"))).isNull();
        }
    }

    @Test
    void invalidateRemovesTheMarkerAndEveryVariantButNoOtherUrl(@TempDir Path tmp) {
        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
            tier.store(variant(key("/page"), "en"), response("english"));
            tier.store(variant(key("/page"), "de"), response("deutsch"));
            tier.store(variant(key("/page2"), "en"), response("other url, same prefix"));
            tier.store(key("/page/child"), response("child"));

            tier.invalidate(key("/page"));

            assertThat(tier.lookup(key("/page"))).isNull();
            tier.store(variant(key("/page"), "fr"), response("a new marker"));
            assertThat(tier.lookup(variant(key("/page"), "en"))).isNull();
            assertThat(tier.lookup(variant(key("/page"), "de"))).isNull();
            assertThat(tier.lookup(variant(key("/page2"), "en"))).isNotNull();
            assertThat(tier.lookup(key("/page/child"))).isNotNull();
        }
    }

    @Test
    void aResponseThatNoLongerVariesReplacesTheMarkerAndItsVariants(@TempDir Path tmp) {
        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
            tier.store(variant(key("/page"), "en"), response("english"));

            tier.store(key("/page"), response("plain"));

            assertSameResponse(present(tier.lookup(key("/page"))), response("plain"));
            assertThat(tier.lookup(variant(key("/page"), "en"))).isNull();
            tier.store(variant(key("/page"), "de"), response("deutsch"));
            assertThat(tier.lookup(variant(key("/page"), "en"))).isNull();
        }
    }

    @Test
    void aMarkerOfOtherFieldsReplacesTheOldOne(@TempDir Path tmp) {
        try (DiskTier tier = DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK)) {
            tier.store(variant(key("/page"), "en"), response("english"));
            VaryKey byEncoding = VaryKey.of(key("/page"), List.of("accept-encoding"), name -> List.of("gzip"));

            tier.store(byEncoding, response("gzip"));

            assertThat(tier.lookup(key("/page"))).isEqualTo(new VaryMarker(List.of("accept-encoding")));
            assertThat(tier.lookup(byEncoding)).isNotNull();
            assertThat(tier.lookup(variant(key("/page"), "en"))).isNull();
        }
    }

    @Test
    void tieredCacheSelectsTheVariantAndPromotesMarkerAndVariant(@TempDir Path tmp) {
        try (TieredCache cache = new TieredCache(
                MemoryTier.create(1 << 20, Runnable::run), DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK))) {
            cache.disk().store(variant(key("/page"), "en"), response("english"));
            cache.disk().store(variant(key("/page"), "de"), response("deutsch"));

            CachedResponse german = cache.lookupDisk(key("/page"), name -> List.of("DE"));

            assertSameResponse(present(german), response("deutsch"));
            assertThat(cache.lookupMemory(key("/page"), name -> List.of("de"))).isSameAs(german);
            assertThat(cache.lookupMemory(key("/page"), name -> List.of("en"))).isNull();
            assertThat(cache.lookupDisk(key("/page"), name -> List.of())).isNull();
            cache.invalidate(key("/page"));
            assertThat(cache.lookupMemory(key("/page"), name -> List.of("de"))).isNull();
            assertThat(cache.lookupDisk(key("/page"), name -> List.of("de"))).isNull();
        }
    }

    /** A directory RocksDB cannot open: CURRENT names a manifest full of random bytes. */
    @Test
    void purgeMarkersSurviveAReopenAndHideWhatTheyNameInBothTiers(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        CachedResponse logo = response("logo"); // stored at 1_700_000_000_123
        long purgedAt = logo.storedAtMillis() + 1;
        try (TieredCache cache = new TieredCache(MemoryTier.create(MAX_BYTES), DiskTier.open(dir, MAX_BYTES, CLOCK))) {
            cache.store(key("/img/logo.png"), logo);
            cache.store(key("/css/site.css"), response("css"));

            cache.purge(PurgeMarker.prefix("example.com", "/img", purgedAt, false));

            assertThat(cache.lookupMemory(key("/img/logo.png"))).isNull();
            assertThat(cache.lookupDisk(key("/img/logo.png"))).isNull();
            assertThat(cache.lookupMemory(key("/css/site.css"))).isNotNull();
        }

        try (TieredCache cache = new TieredCache(MemoryTier.create(MAX_BYTES), DiskTier.open(dir, MAX_BYTES, CLOCK))) {
            assertThat(cache.purgeMarkers().markers())
                    .containsExactly(PurgeMarker.prefix("example.com", "/img", purgedAt, false));
            assertThat(cache.lookupDisk(key("/img/logo.png")))
                    .as("purged before the restart")
                    .isNull();
            assertThat(cache.lookupDisk(key("/css/site.css"))).isNotNull();

            CachedResponse refill =
                    new CachedResponse(200, logo.headers(), logo.body(), purgedAt + 1, logo.freshness());
            cache.store(key("/img/logo.png"), refill);
            assertThat(cache.lookupMemory(key("/img/logo.png"))).isEqualTo(refill);
        }
    }

    @Test
    void aSoftPurgedEntryIsOneStaleEntryUntilARefreshReplacesIt(@TempDir Path tmp) {
        CachedResponse page = response("page");
        VaryKey english = variant(key("/page"), "en");
        try (TieredCache cache =
                new TieredCache(MemoryTier.create(MAX_BYTES), DiskTier.open(tmp.resolve("disk"), MAX_BYTES, CLOCK))) {
            cache.store(key("/a"), page);
            cache.store(english, page);

            cache.purge(PurgeMarker.all(page.storedAtMillis(), true));

            CachedResponse stale = requireNonNull(cache.lookupMemory(key("/a")));
            assertThat(stale.isFresh(page.storedAtMillis())).isFalse();
            assertThat(stale.freshness().lifetime()).isZero();
            assertThat(stale.body()).isEqualTo(page.body());
            assertThat(cache.lookupMemory(key("/a")))
                    .as("the same entry on every lookup")
                    .isSameAs(stale);
            CachedResponse staleVariant = requireNonNull(cache.lookupMemory(key("/page"), name -> List.of("en")));
            assertThat(staleVariant.freshness().lifetime()).isZero();
            assertThat(cache.lookupMemory(key("/page"), name -> List.of("en"))).isSameAs(staleVariant);

            cache.memory().invalidate(key("/a"));
            CachedResponse fromDisk = requireNonNull(cache.lookupDisk(key("/a")));
            assertThat(fromDisk.freshness().lifetime())
                    .as("stale from disk too")
                    .isZero();
            assertThat(cache.lookupMemory(key("/a"))).isSameAs(fromDisk);

            CachedResponse refreshed =
                    new CachedResponse(200, page.headers(), page.body(), page.storedAtMillis() + 1, page.freshness());
            cache.store(key("/a"), refreshed);
            assertThat(cache.lookupMemory(key("/a"))).isEqualTo(refreshed);
        }
    }

    @Test
    void aCacheWithoutADiskTierStillAppliesPurges() {
        try (TieredCache cache =
                new TieredCache(MemoryTier.create(MAX_BYTES), new UnavailableTier(Path.of("/nonexistent"), "test"))) {
            cache.store(key("/a"), response("a"));
            cache.purge(PurgeMarker.url(key("/a"), Long.MAX_VALUE, false));

            assertThat(cache.lookupMemory(key("/a"))).isNull();
            assertThat(cache.lookupDisk(key("/a"))).isNull();
        }
    }

    private static void writeGarbage(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Files.write(dir.resolve("CURRENT"), "MANIFEST-000001\n".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("MANIFEST-000001"), garbage);
        Files.write(dir.resolve("IDENTITY"), garbage);
    }

    private static List<Path> quarantinedSiblings(Path dir) {
        try (Stream<Path> siblings = Files.list(dir.getParent())) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(dir.getFileName() + ".broken-"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void encodedVariantsSurviveARestartAndGoWithTheirUrl(@TempDir Path tmp) {
        Path dir = tmp.resolve("disk");
        CachedResponse plain = response("hello, encoded world");
        CachedResponse german = response("hallo");
        EncodedKey br = EncodedKey.of(key("/a"), "br");
        EncodedKey gzip = EncodedKey.of(key("/a"), "gzip");
        EncodedKey germanBr = EncodedKey.of(variant(key("/v"), "de"), "br");
        byte[] encoded = {1, 2, 3};

        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            tier.store(key("/a"), plain);
            tier.store(br, EncodedBody.of("br", plain, encoded));
            tier.store(variant(key("/v"), "de"), german);
            tier.store(germanBr, EncodedBody.of("br", german, new byte[] {9}));
        }
        try (DiskTier tier = DiskTier.open(dir, MAX_BYTES, CLOCK)) {
            EncodedBody found = tier.lookup(br);
            assertThat(found).isNotNull();
            assertThat(requireNonNull(found).body().toArray()).isEqualTo(encoded);
            assertThat(found.coding()).isEqualTo("br");
            assertThat(found.isEncodingOf(present(tier.lookup(key("/a"))))).isTrue();
            assertThat(found.isEncodingOf(response("hello, other world!!"))).isFalse();
            assertThat(tier.lookup(gzip)).isNull();
            assertThat(present(tier.lookup(key("/a"))).body()).isEqualTo(plain.body());
            assertThat(tier.lookup(variant(key("/v"), "de")))
                    .as("a variant is not taken for an encoding")
                    .isNotNull();
            assertThat(tier.lookup(germanBr)).isNotNull();

            tier.invalidate(key("/a"));
            tier.invalidate(key("/v"));

            assertThat(tier.lookup(br)).isNull();
            assertThat(tier.lookup(germanBr)).isNull();
            assertThat(tier.corruptCount()).isZero();
        }
    }
}
