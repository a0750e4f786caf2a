package dev.strata.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The report as JSON for machines: one object whose keys are the {@link LoadReport} components,
 * plus {@code throughput} and {@code errorCount}, or, for a purge storm, the {@link PurgeReport}
 * components plus {@code "scenario": "purge-storm"}, {@code confirmed} and {@code errorCount};
 * latencies in milliseconds, null for what was not measured. Written by hand, key by key, so the
 * layout is the documented one.
 */
public final class ReportJson {
    private ReportJson() {}

    /** The report as a JSON document. */
    public static String write(LoadReport r) {
        StringBuilder j = new StringBuilder(4096);
        j.append("{\n");
        field(j, "target", r.target());
        field(j, "workload", r.workload());
        field(j, "mode", r.mode());
        field(j, "rate", r.rate());
        field(j, "connections", r.connections());
        field(j, "durationLimitSeconds", r.durationLimitSeconds());
        field(j, "requestLimit", r.requestLimit());
        field(j, "startedAt", r.startedAt());
        field(j, "elapsedSeconds", r.elapsedSeconds());
        field(j, "sent", r.sent());
        field(j, "completed", r.completed());
        field(j, "ok", r.ok());
        field(j, "unsent", r.unsent());
        field(j, "unfinished", r.unfinished());
        field(j, "throughput", r.throughput());
        field(j, "errorCount", r.errorCount());
        key(j, "errors").append(counts(r.errors())).append(",\n");
        key(j, "statuses").append(counts(r.statuses())).append(",\n");
        key(j, "xCache").append(counts(r.xCache())).append(",\n");
        field(j, "hitRatio", r.hitRatio());
        field(j, "bytes", r.bytes());
        key(j, "latency").append(latency(r.latency())).append(",\n");
        key(j, "serviceTime").append(latency(r.serviceTime())).append(",\n");
        key(j, "distribution").append(percentiles(r.distribution())).append(",\n");
        key(j, "serviceDistribution")
                .append(percentiles(r.serviceDistribution()))
                .append(",\n");
        timeline(j, r.timeline());
        key(j, "perUrl").append("{");
        boolean first = true;
        for (Map.Entry<String, Map<String, Long>> e : r.perUrl().entrySet()) {
            j.append(first ? "\n    " : ",\n    ")
                    .append(string(e.getKey()))
                    .append(": ")
                    .append(counts(e.getValue()));
            first = false;
        }
        j.append(r.perUrl().isEmpty() ? "},\n" : "\n  },\n");
        key(j, "originRequests")
                .append(r.originRequests() == null ? "null" : r.originRequests().toString());
        j.append("\n}\n");
        return j.toString();
    }

    /** A purge storm's report as a JSON document; {@code hits} is a load report's object, or null. */
    public static String write(PurgeReport r) {
        StringBuilder j = new StringBuilder(4096);
        j.append("{\n");
        field(j, "scenario", "purge-storm");
        field(j, "api", r.api());
        key(j, "nodes").append(strings(r.nodes())).append(",\n");
        field(j, "mix", r.mix());
        field(j, "rate", r.rate());
        field(j, "connections", r.connections());
        field(j, "durationLimitSeconds", r.durationLimitSeconds());
        field(j, "purgeLimit", r.purgeLimit());
        field(j, "startedAt", r.startedAt());
        field(j, "elapsedSeconds", r.elapsedSeconds());
        field(j, "sent", r.sent());
        field(j, "accepted", r.accepted());
        field(j, "confirmed", r.confirmed());
        field(j, "unsent", r.unsent());
        field(j, "unconfirmed", r.unconfirmed());
        field(j, "appliedBeforeAccepted", r.appliedBeforeAccepted());
        field(j, "acceptRate", r.acceptRate());
        field(j, "applyRate", r.applyRate());
        field(j, "errorCount", r.errorCount());
        key(j, "errors").append(counts(r.errors())).append(",\n");
        key(j, "statuses").append(counts(r.statuses())).append(",\n");
        key(j, "propagation").append(latency(r.propagation())).append(",\n");
        key(j, "accept").append(latency(r.accept())).append(",\n");
        key(j, "endToEnd").append(latency(r.endToEnd())).append(",\n");
        key(j, "fromSend").append(latency(r.fromSend())).append(",\n");
        key(j, "propagationDistribution")
                .append(percentiles(r.propagationDistribution()))
                .append(",\n");
        key(j, "acceptDistribution").append(percentiles(r.acceptDistribution())).append(",\n");
        timeline(j, r.timeline());
        field(j, "observations", r.observations());
        LoadReport hits = r.hits();
        key(j, "hits").append(hits == null ? "null" : write(hits).strip().replace("\n", "\n  "));
        j.append("\n}\n");
        return j.toString();
    }

    /** {@code "timeline": [...]} and a comma: one object per second. */
    private static void timeline(StringBuilder j, List<LoadReport.Interval> timeline) {
        key(j, "timeline").append("[");
        for (int i = 0; i < timeline.size(); i++) {
            LoadReport.Interval t = timeline.get(i);
            j.append(i == 0 ? "\n    " : ",\n    ")
                    .append(String.format(
                            Locale.ROOT,
                            "{\"second\": %s, \"requests\": %d, \"errors\": %d, \"p50\": %s, \"p90\": %s,"
                                    + " \"p99\": %s, \"max\": %s}",
                            num(t.second()),
                            t.requests(),
                            t.errors(),
                            num(t.p50()),
                            num(t.p90()),
                            num(t.p99()),
                            num(t.max())));
        }
        j.append(timeline.isEmpty() ? "],\n" : "\n  ],\n");
    }

    private static String strings(List<String> values) {
        StringBuilder j = new StringBuilder("[");
        for (String value : values) {
            j.append(j.length() > 1 ? ", " : "").append(string(value));
        }
        return j.append(']').toString();
    }

    private static StringBuilder key(StringBuilder j, String name) {
        return j.append("  ").append(string(name)).append(": ");
    }

    private static void field(StringBuilder j, String name, String value) {
        key(j, name).append(string(value)).append(",\n");
    }

    private static void field(StringBuilder j, String name, long value) {
        key(j, name).append(value).append(",\n");
    }

    private static void field(StringBuilder j, String name, @Nullable Double value) {
        key(j, name).append(value == null ? "null" : num(value)).append(",\n");
    }

    private static String latency(LoadReport.Latency l) {
        return String.format(
                Locale.ROOT,
                "{\"count\": %d, \"mean\": %s, \"p50\": %s, \"p90\": %s, \"p99\": %s, \"p999\": %s, \"max\": %s}",
                l.count(),
                num(l.mean()),
                num(l.p50()),
                num(l.p90()),
                num(l.p99()),
                num(l.p999()),
                num(l.max()));
    }

    private static String percentiles(List<LoadReport.Percentile> points) {
        StringBuilder j = new StringBuilder("[");
        for (int i = 0; i < points.size(); i++) {
            LoadReport.Percentile p = points.get(i);
            j.append(i == 0 ? "" : ", ")
                    .append("{\"percentile\": ")
                    .append(num(p.percentile()))
                    .append(", \"millis\": ")
                    .append(num(p.millis()))
                    .append('}');
        }
        return j.append(']').toString();
    }

    private static String counts(Map<String, Long> counts) {
        StringBuilder j = new StringBuilder("{");
        new java.util.TreeMap<>(counts).forEach((k, v) -> {
            if (j.length() > 1) {
                j.append(", ");
            }
            j.append(string(k)).append(": ").append(v);
        });
        return j.append('}').toString();
    }

    /** A finite number as JSON; NaN and infinities, which JSON lacks, as null. */
    static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value).replaceFirst("\\.?0+(e|$)", "$1");
    }

    /** A JSON string literal. */
    static String string(String s) {
        StringBuilder j = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> j.append("\\\"");
                case '\\' -> j.append("\\\\");
                case '\n' -> j.append("\\n");
                case '\r' -> j.append("\\r");
                case '\t' -> j.append("\\t");
                default -> {
                    if (c < 0x20) {
                        j.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        j.append(c);
                    }
                }
            }
        }
        return j.append('"').toString();
    }
}
