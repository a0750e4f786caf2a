package dev.strata.benchmarks;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import dev.strata.cache.store.CacheTier;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.DiskTier;
import dev.strata.cache.store.HeaderList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What the benchmarks store and look up. Every {@link CachedResponse} is built in {@link
 * #response}, so a change to the cache's constructors is adapted here only. Data is random from a
 * fixed seed: every run stores the same entries in the same order.
 */
final class Fixtures {
    /** Entries in a tier under test. */
    static final int ENTRIES = 10_000;

    /** The usual site policy: sorted query, campaign parameters left out of the key. */
    static final KeyPolicy SITE_POLICY = dropping(KeyPolicy.defaults(), "utm_*");

    /** A disk budget well above the 640 MiB of 10,000 64 KiB bodies, so nothing is evicted. */
    private static final long DISK_BYTES = 4L << 30;

    private static final long STORED_AT_MILLIS =
            Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final long SEED = 42;

    private Fixtures() {}

    private static KeyPolicy dropping(KeyPolicy base, String pattern) {
        return new KeyPolicy(base.sortQuery(), base.ignoreQuery(), List.of(pattern));
    }

    /**
     * The key of entry {@code index}: an asset with a version query. Each call builds new strings,
     * so a probe key equals the stored key without being the same instance, as for a request.
     */
    static CacheKey key(int index) {
        return CacheKey.from(
                "https",
                "static.example.com",
                "/assets/img/" + index + "/photo.webp",
                "w=640&v=" + Integer.toHexString(index * 0x9E3779B1),
                SITE_POLICY);
    }

    /** A 200 response with a random body of {@code bodyBytes} and the headers a static asset has. */
    static CachedResponse response(int bodyBytes, Random random) {
        byte[] body = new byte[bodyBytes];
        random.nextBytes(body);
        HeaderList headers = HeaderList.of(
                "Content-Type", "image/webp",
                "Content-Length", Integer.toString(bodyBytes),
                "Cache-Control", "public, max-age=31536000, immutable",
                "ETag", "\"" + Integer.toHexString(random.nextInt()) + "\"",
                "Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT",
                "Date", "Wed, 01 Jan 2025 00:00:00 GMT");
        return new CachedResponse(
                200, headers, body, STORED_AT_MILLIS, new Freshness(Duration.ofDays(365), Duration.ZERO));
    }

    /** Stores {@link #ENTRIES} entries with {@code bodyBytes} bodies in a shuffled key order. */
    static void fill(CacheTier tier, int bodyBytes) {
        Random random = new Random(SEED);
        for (int index : shuffled(ENTRIES, random)) {
            tier.store(key(index), response(bodyBytes, random));
        }
    }

    /**
     * The keys a benchmark looks up, one per operation in turn: {@code one} is a single present
     * key (the best case: everything it touches stays in the CPU caches); {@code all} is every
     * present key in a shuffled order (each lookup touches memory the previous ones did not).
     */
    static CacheKey[] probes(String keys) {
        return switch (keys) {
            case "one" -> new CacheKey[] {key(ENTRIES / 2)};
            case "all" -> {
                int[] order = shuffled(ENTRIES, new Random(SEED + 1));
                CacheKey[] probes = new CacheKey[order.length];
                for (int i = 0; i < order.length; i++) {
                    probes[i] = key(order[i]);
                }
                yield probes;
            }
            default -> throw new IllegalArgumentException("keys: \"" + keys + "\" (expected: one or all)");
        };
    }

    /** Fails unless every probe is present in {@code tier}: the benchmarks measure hits only. */
    static void requireHits(CacheTier tier, CacheKey[] probes) {
        for (CacheKey probe : probes) {
            if (tier.lookup(probe) == null) {
                throw new IllegalStateException("expected a hit for " + probe + " (got: a miss)");
            }
        }
    }

    /** Opens a disk tier in {@code dir} with a budget that holds every entry. */
    static DiskTier openDisk(Path dir) {
        return DiskTier.open(dir, DISK_BYTES, Clock.systemUTC());
    }

    /** A new, empty directory under the system's temporary directory. */
    static Path createTempDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes {@code dir} and everything below it. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int[] shuffled(int count, Random random) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = count - 1; i > 0; i--) { // Fisher–Yates
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
