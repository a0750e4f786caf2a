package dev.strata.proxy;

import dev.strata.proxy.compress.ContentCoding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An edge's compression, counted as it happens: the work ({@code strata.compression.operations},
 * {@code strata.compression.bytes} in and out, {@code strata.compression.time}, by {@code
 * encoding}), the responses of a compressible type by the encoding they were sent in ({@code
 * strata.compression.responses}, {@code br}, {@code gzip} or {@code identity}) and the compressions
 * given up ({@code strata.compression.skipped} by {@code reason}). Savings are {@code in - out}.
 * Every meter exists from the start; recording allocates nothing. Thread-safe.
 */
final class CompressionMeters {
    /** Why a negotiable response that a client wanted encoded went out as the identity. */
    enum Skip {
        /** The compression queue was full. */
        QUEUE_FULL,
        /** The encoder failed. */
        FAILED,
        /** The encoded body was not smaller than the identity. */
        NOT_SMALLER;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final String IDENTITY = "identity";

    /** The meters of one coding's work. */
    private record Work(Counter operations, Counter bytesIn, Counter bytesOut, Timer time) {}

    private final Map<ContentCoding, Work> work = new EnumMap<>(ContentCoding.class);
    private final Map<ContentCoding, Counter> responses = new EnumMap<>(ContentCoding.class);
    private final Counter identityResponses;
    private final Map<Skip, Counter> skipped = new EnumMap<>(Skip.class);

    CompressionMeters(MeterRegistry registry) {
        for (ContentCoding coding : ContentCoding.values()) {
            String encoding = coding.token();
            work.put(
                    coding,
                    new Work(
                            Counter.builder("strata.compression.operations")
                                    .description(
                                            "Bodies compressed, by encoding (each stored response once per encoding)")
                                    .tag("encoding", encoding)
                                    .register(registry),
                            bytes(registry, encoding, "in"),
                            bytes(registry, encoding, "out"),
                            Timer.builder("strata.compression.time")
                                    .description("Time spent compressing, by encoding")
                                    .tag("encoding", encoding)
                                    .register(registry)));
            responses.put(coding, responses(registry, encoding));
        }
        identityResponses = responses(registry, IDENTITY);
        for (Skip skip : Skip.values()) {
            skipped.put(
                    skip,
                    Counter.builder("strata.compression.skipped")
                            .description("Responses a client wanted encoded that went out as the identity, by reason")
                            .tag("reason", skip.tag())
                            .register(registry));
        }
    }

    private static Counter bytes(MeterRegistry registry, String encoding, String side) {
        return Counter.builder("strata.compression.bytes")
                .description("Bytes into (in) and out of (out) the encoders, by encoding; in - out is saved")
                .baseUnit("bytes")
                .tags("encoding", encoding, "side", side)
                .register(registry);
    }

    private static Counter responses(MeterRegistry registry, String encoding) {
        return Counter.builder("strata.compression.responses")
                .description("Responses of a compressible type, by the encoding they were sent in")
                .tag("encoding", encoding)
                .register(registry);
    }

    /** One body compressed: {@code in} bytes to {@code out} in {@code nanos}. */
    void compressed(ContentCoding coding, long in, long out, long nanos) {
        Work meters = of(work, coding);
        meters.operations().increment();
        meters.bytesIn().increment(in);
        meters.bytesOut().increment(out);
        meters.time().record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A response of a compressible type sent in {@code coding}, null for the identity. */
    void served(@Nullable ContentCoding coding) {
        (coding == null ? identityResponses : of(responses, coding)).increment();
    }

    void skipped(Skip reason) {
        of(skipped, reason).increment();
    }

    /** Every value has its meter, made at construction. */
    private static <K, V> V of(Map<K, V> meters, K key) {
        V meter = meters.get(key);
        if (meter == null) {
            throw new IllegalStateException("no meter for " + key);
        }
        return meter;
    }

    /** What the status page shows. */
    record Totals(Map<String, Long> responses, long operations, long bytesIn, long bytesOut) {}

    Totals totals() {
        Map<String, Long> byEncoding = new LinkedHashMap<>();
        long operations = 0;
        long in = 0;
        long out = 0;
        for (ContentCoding coding : ContentCoding.values()) {
            byEncoding.put(coding.token(), (long) of(responses, coding).count());
            Work meters = of(work, coding);
            operations += (long) meters.operations().count();
            in += (long) meters.bytesIn().count();
            out += (long) meters.bytesOut().count();
        }
        byEncoding.put(IDENTITY, (long) identityResponses.count());
        return new Totals(byEncoding, operations, in, out);
    }
}
