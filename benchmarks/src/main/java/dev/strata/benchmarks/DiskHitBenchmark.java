package dev.strata.benchmarks;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.store.DiskTier;
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
 * An L2 hit: {@link DiskTier#lookup} of a present key among {@value Fixtures#ENTRIES} entries, with
 * 1 KiB and 64 KiB bodies, in a RocksDB directory under the system's temporary directory.
 *
 * <p>The entries are written, the tier closed and opened again, so they are read from RocksDB's
 * table files as after a restart, not from the memtable they were written to. The files were just
 * written, so the operating system's page cache holds them: this is a warm-disk hit, without device
 * latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DiskHitBenchmark {
    /** The size of every stored body. */
    @Param({"1024", "65536"})
    public int bodyBytes;

    /** {@code one} present key every time, or {@code all} of them in turn (see {@link Fixtures#probes}). */
    @Param({"one", "all"})
    public String keys = "one";

    private Path dir;
    private DiskTier disk;
    private CacheKey[] probes;

    /** Fills a disk tier in a new temporary directory, then opens it again. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Fixtures.createTempDir("strata-bench-disk-");
        try {
            try (DiskTier filling = Fixtures.openDisk(dir)) {
                Fixtures.fill(filling, bodyBytes);
            }
            // Opening again replays the write-ahead log into table files.
            disk = Fixtures.openDisk(dir);
        } catch (RuntimeException e) {
            Fixtures.deleteRecursively(dir);
            throw e;
        }
        probes = Fixtures.probes(keys);
        try {
            Fixtures.requireHits(disk, probes);
        } catch (RuntimeException e) {
            closeAndDelete();
            throw e;
        }
    }

    /** Closes the tier and deletes its directory; fails if the tier counted an error. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        long errors = disk.errorCount() + disk.corruptCount();
        closeAndDelete();
        if (errors != 0) {
            throw new IllegalStateException("disk tier errors during the run: " + errors + " (expected: 0)");
        }
    }

    private void closeAndDelete() throws IOException {
        disk.close(); // before its directory goes
        Fixtures.deleteRecursively(dir);
    }

    /** {@link DiskTier#lookup} of the next probe key: always a hit. */
    @Benchmark
    public void lookup(KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(disk.lookup(probes[cursor.next(probes.length)]));
    }
}
