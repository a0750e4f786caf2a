package dev.strata.benchmarks;

import dev.strata.config.ByteSize;
import dev.strata.config.CompressionConfig;
import dev.strata.origin.SampleSite;
import dev.strata.proxy.compress.CompressionPolicy;
import dev.strata.proxy.compress.Compressor;
import dev.strata.proxy.compress.ContentCoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * The edge's encoders at several levels on the text files of the demo's sample site (HTML, CSS,
 * JavaScript, JSON, SVG, plain text; {@link SampleSite}): one operation compresses each file once,
 * as an edge does when it first stores a response's encoded variant. The secondary results {@code
 * bytesIn} and {@code bytesOut} add up the bytes compressed and produced, so {@code bytesOut /
 * bytesIn} is the size left. Chooses {@code edge.compression.brotli-quality} and {@code gzip-level}
 * (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CompressionBenchmark {
    /** The text files of the sample site. */
    private static final List<String> TEXT = List.of(
            "index.html",
            "robots.txt",
            "css/site.css",
            "js/app.js",
            "data/catalog.json",
            "img/logo.svg",
            "fonts/OFL.txt");

    /** The encoder and its level: {@code br-Q} or {@code gzip-L}. */
    @Param({"br-1", "br-4", "br-5", "br-6", "br-9", "br-11", "gzip-1", "gzip-6", "gzip-9"})
    public String encoder = "br-5";

    private List<byte[]> files = List.of();
    private ContentCoding coding = ContentCoding.GZIP;
    private CompressionPolicy policy = CompressionPolicy.off();
    private final Compressor compressor = Compressor.available();

    /** The bytes in and out, summed over the operations of an iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Bytes {
        public long bytesIn;
        public long bytesOut;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("strata-sample-site");
        try {
            SampleSite.generate(dir);
            List<byte[]> read = new ArrayList<>();
            for (String file : TEXT) {
                read.add(Files.readAllBytes(dir.resolve(file)));
            }
            files = read;
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(CompressionBenchmark::delete);
            }
        }
        String[] parts = encoder.split("-", 2);
        int level = Integer.parseInt(parts[1]);
        coding = parts[0].equals("br") ? ContentCoding.BR : ContentCoding.GZIP;
        CompressionConfig defaults = CompressionConfig.defaults();
        policy = CompressionPolicy.of(new CompressionConfig(
                true,
                defaults.types(),
                ByteSize.ofBytes(0),
                defaults.maxSize(),
                coding == ContentCoding.BR ? level : defaults.brotliQuality(),
                coding == ContentCoding.GZIP ? level : defaults.gzipLevel()));
        if (coding == ContentCoding.BR && !compressor.brotli()) {
            throw new IllegalStateException("Brotli4j's native library does not load on this machine");
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compresses every text file of the site once. */
    @Benchmark
    public long compressSite(Bytes bytes) {
        long out = 0;
        for (byte[] file : files) {
            byte[] encoded = compressor.compress(coding, file, policy);
            bytes.bytesIn += file.length;
            bytes.bytesOut += encoded.length;
            out += encoded.length;
        }
        return out;
    }
}
