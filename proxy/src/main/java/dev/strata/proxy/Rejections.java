package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests the node refused before they cost anything, by reason: {@code
 * strata.admission.rejections{reason}}. An edge's WAF and rate limits, the steps after admission,
 * count their refusals apart ({@link WafMeters}, {@link RateLimitMeters}). Undertow's own refusals of malformed HTTP and of header blocks past twice the limit happen
 * before any handler runs and are not counted. Counting is a striped increment: fine on an I/O
 * thread. Thread-safe.
 */
final class Rejections {
    /** Why a request was refused; its tag is the lower-case, hyphenated name. */
    enum Reason {
        /** 414: the request target is longer than {@code limits.max-uri-length}. */
        URI_TOO_LONG,
        /** 431: the header block is larger than {@code limits.max-header-size}. */
        HEADER_SIZE,
        /** 431: more header fields than {@code limits.max-headers}. */
        HEADER_COUNT,
        /** 400: no {@code Host}, several, or one that is not a host name or address. */
        HOST,
        /** 405: {@code CONNECT}. */
        METHOD,
        /** 413: a request body larger than {@code limits.max-body-size}. */
        BODY_SIZE,
        /** 400: a request target no cache key can be made of (a malformed path or query). */
        REQUEST_TARGET;

        /** The {@code reason} tag: {@code uri-too-long}, {@code header-size}, … */
        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);

    Rejections(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            Counter counter = Counter.builder("strata.admission.rejections")
                    .description("Requests refused by the node's admission limits, by reason")
                    .tag("reason", reason.tag())
                    .register(registry);
            counters.put(reason, counter);
        }
    }

    void count(Reason reason) {
        counter(reason).increment();
    }

    /** Every reason has its counter, made at construction. */
    private Counter counter(Reason reason) {
        return requireNonNull(counters.get(reason), "counter");
    }

    /** Every reason's count so far, in declaration order, by tag. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Reason reason : Reason.values()) {
            counts.put(reason.tag(), (long) counter(reason).count());
        }
        return counts;
    }
}
