package dev.strata.benchmarks;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.store.MemoryTier;
import dev.strata.cache.store.TieredCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An L1 hit: looking up a present key among {@value Fixtures#ENTRIES} entries with 1 KiB bodies,
 * in the {@link MemoryTier} directly and through {@link TieredCache#lookupMemory}, which is what
 * an edge does on the I/O thread. The tiered cache needs a disk tier; it is empty and never read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryHitBenchmark {
    private static final int BODY_BYTES = 1024;

    /** {@code one} present key every time, or {@code all} of them in turn (see {@link Fixtures#probes}). */
    @Param({"one", "all"})
    public String keys = "one";

    private Path dir;
    private MemoryTier memory;
    private TieredCache tiered;
    private CacheKey[] probes;

    /** Fills the memory tier and opens the (empty) disk tier in a new temporary directory. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Fixtures.createTempDir("strata-bench-memory-");
        // Caffeine's default maintenance executor, as in production; 64 MiB holds every entry.
        memory = MemoryTier.create(64L << 20);
        try {
            tiered = new TieredCache(memory, Fixtures.openDisk(dir));
        } catch (RuntimeException e) {
            Fixtures.deleteRecursively(dir);
            throw e;
        }
        probes = Fixtures.probes(keys);
        try {
            Fixtures.fill(memory, BODY_BYTES);
            Fixtures.requireHits(memory, probes);
        } catch (RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    /** Closes both tiers and deletes the directory. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        tiered.close(); // closes the disk tier before its directory goes
        Fixtures.deleteRecursively(dir);
    }

    /** {@link MemoryTier#lookup}: what a memory hit costs the tier itself. */
    @Benchmark
    public void memoryTierLookup(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(memory.lookup(probes[cursor.next(probes.length)]));
    }

    /** {@link TieredCache#lookupMemory}: the same hit as an edge's lookup step makes it. */
    @Benchmark
    public void tieredLookupMemory(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(tiered.lookupMemory(probes[cursor.next(probes.length)]));
    }
}
