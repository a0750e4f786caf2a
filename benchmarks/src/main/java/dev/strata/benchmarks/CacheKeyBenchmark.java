package dev.strata.benchmarks;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.KeyPolicy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link CacheKey#from} for a typical asset request, as an edge computes it on the I/O thread for
 * every request: with a five-parameter query (sorted, one {@code utm_*} parameter dropped) and
 * without a query.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheKeyBenchmark {
    // Fields rather than constants, so the JIT cannot fold the inputs into the benchmark.
    private String scheme = "https";
    private String host = "static.example.com";
    private String path = "/assets/js/app.3f9a2c1b.js";
    private String query = "v=3f9a2c1b&lang=en&utm_source=newsletter&w=640&format=webp";
    private String noQuery = "";
    private KeyPolicy policy = Fixtures.SITE_POLICY;

    /** Five parameters in, four out, sorted. */
    @Benchmark
    public void withQuery(Blackhole blackhole) {
        blackhole.consume(CacheKey.from(scheme, host, path, query, policy));
    }

    /** No query: scheme and host normalization only. */
    @Benchmark
    public void withoutQuery(Blackhole blackhole) {
        blackhole.consume(CacheKey.from(scheme, host, path, noQuery, policy));
    }
}
