package dev.strata.benchmarks;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Two parts of every {@link DiskHitBenchmark} lookup, alone, to read its results by: the CRC32C
 * check of the body against its metadata, and one copy of the body (RocksDB's JNI get copies the
 * value into a new Java array).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BodyCheckBenchmark {
    /** The size of the body. */
    @Param({"1024", "65536"})
    public int bodyBytes;

    private byte[] body = new byte[0];

    /** A random body of {@link #bodyBytes}. */
    @Setup(Level.Trial)
    public void setUp() {
        body = new byte[bodyBytes];
        new Random(42).nextBytes(body);
    }

    /** As the disk tier checks a body it read. */
    @Benchmark
    public void crc32c(Blackhole blackhole) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        blackhole.consume(crc.getValue());
    }

    /** A new array holding the body, as a JNI read makes one. */
    @Benchmark
    public void copy(Blackhole blackhole) {
        blackhole.consume(Arrays.copyOf(body, body.length));
    }
}
