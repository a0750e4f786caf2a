package dev.strata.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;

/**
 * The report as one self-contained HTML page: a summary table, latency over time, throughput over
 * time and the latency distribution by percentile, drawn as inline SVG (no scripts, nothing
 * fetched). The page is also well-formed XML (polyglot markup), so tools can parse it.
 *
 * <p>Latency axes are logarithmic: a run's median and maximum often differ by three decades. The
 * percentile axis is {@code log10(1 / (1 - p))}, HdrHistogram's way, so 90 %, 99 %, 99.9 % ... are
 * evenly spaced and the tail is visible.
 */
public final class ReportHtml {
    private static final int WIDTH = 860;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 130;
    private static final int TOP = 20;
    private static final int BOTTOM = 40;
    private static final String LATENCY_HEAD =
            "<table>\n<tr><th>ms</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>"
                    + "<th>mean</th><th>count</th></tr>\n";

    private ReportHtml() {}

    /** One line of a chart. */
    private record Series(String name, String color, double[] x, double[] y) {}

    /** The report as an HTML document. */
    public static String write(LoadReport r) {
        StringBuilder h = new StringBuilder(32_768);
        head(h, r.workload());
        h.append("<table>\n");
        row(h, "target", r.target());
        row(h, "workload", r.workload());
        row(
                h,
                "mode",
                r.mode() + " loop"
                        + (r.mode().equals("open") ? String.format(Locale.ROOT, " at %.0f requests/s", r.rate()) : "")
                        + ", " + r.connections() + " connections");
        row(h, "bounds", fmt(r.durationLimitSeconds()) + " s, " + r.requestLimit() + " requests");
        row(h, "started", r.startedAt());
        row(h, "elapsed", fmt(r.elapsedSeconds()) + " s");
        row(h, "requests", r.sent() + " sent, " + r.completed() + " completed, " + r.ok() + " ok");
        if (r.unsent() > 0 || r.unfinished() > 0) {
            row(h, "not done", r.unsent() + " unsent (in-flight cap), " + r.unfinished() + " unfinished");
        }
        row(h, "throughput", fmt(r.throughput()) + " requests/s");
        row(
                h,
                "bytes",
                r.bytes()
                        + String.format(
                                Locale.ROOT,
                                " (%.1f MiB/s)",
                                r.elapsedSeconds() > 0 ? r.bytes() / r.elapsedSeconds() / (1024 * 1024) : 0));
        row(h, "errors", r.errorCount() + (r.errors().isEmpty() ? "" : " " + new TreeMap<>(r.errors())));
        row(h, "statuses", new TreeMap<>(r.statuses()).toString());
        row(h, "X-Cache", new TreeMap<>(r.xCache()).toString());
        row(
                h,
                "hit ratio",
                r.hitRatio() == null ? "none (no X-Cache)" : String.format(Locale.ROOT, "%.2f %%", r.hitRatio() * 100));
        if (r.originRequests() != null) {
            row(h, "origin requests", r.originRequests().toString());
        }
        h.append("</table>\n");

        latencyTable(h, r);
        h.append("<h2>Latency over time</h2>\n");
        h.append(overTime(r.timeline()));
        h.append("<h2>Throughput over time</h2>\n");
        h.append(perSecondChart(r.timeline(), "requests/s"));
        h.append("<h2>Latency by percentile</h2>\n");
        List<Series> dist = new ArrayList<>();
        dist.add(series(r.mode().equals("open") ? "latency" : "latency", "#1f77b4", r.distribution()));
        if (r.mode().equals("open")) {
            dist.add(series("service time", "#ff7f0e", r.serviceDistribution()));
        }
        h.append(chart(dist, "percentile", "ms", true, ReportHtml::percentileLabel));

        if (!r.perUrl().isEmpty()) {
            h.append("<h2>X-Cache per URL</h2>\n<table>\n");
            r.perUrl().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> row(h, e.getKey(), new TreeMap<>(e.getValue()).toString()));
            h.append("</table>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** A purge storm's report as an HTML document, with its hits section when there were hits. */
    public static String write(PurgeReport r) {
        StringBuilder h = new StringBuilder(32_768);
        head(h, "purge-storm");
        h.append("<h2>Purge storm</h2>\n<table>\n");
        row(h, "purge API", r.api());
        row(h, "nodes", r.nodes().size() + " " + r.nodes());
        row(
                h,
                "workload",
                "purge-storm (" + r.mix() + "), open loop at " + fmt(r.rate()) + " purges/s, " + r.connections()
                        + " connections");
        row(h, "bounds", fmt(r.durationLimitSeconds()) + " s, " + r.purgeLimit() + " purges");
        row(h, "started", r.startedAt());
        row(h, "elapsed", fmt(r.elapsedSeconds()) + " s");
        row(
                h,
                "purges",
                r.sent() + " sent, " + r.accepted() + " accepted, " + r.confirmed() + " applied on every node");
        if (r.unsent() > 0 || r.unconfirmed() > 0) {
            row(
                    h,
                    "not done",
                    r.unsent() + " unsent (in-flight cap), " + r.unconfirmed()
                            + " accepted but not seen applied everywhere");
        }
        row(h, "accepted", fmt(r.acceptRate()) + " purges/s");
        row(h, "applied everywhere", fmt(r.applyRate()) + " purges/s");
        row(h, "errors", r.errorCount() + (r.errors().isEmpty() ? "" : " " + new TreeMap<>(r.errors())));
        row(h, "statuses", new TreeMap<>(r.statuses()).toString());
        row(
                h,
                "watched",
                r.observations() + " node-list answers; " + r.appliedBeforeAccepted()
                        + " purges applied before their 202 arrived");
        h.append("</table>\n");
        h.append(LATENCY_HEAD);
        latencyRow(h, "propagation (202 to applied on every node)", r.propagation());
        latencyRow(h, "accept (due to 202)", r.accept());
        latencyRow(h, "from send (sent to applied on every node)", r.fromSend());
        latencyRow(h, "end to end (due to applied on every node)", r.endToEnd());
        h.append("</table>\n");
        h.append("<h2>Propagation over time</h2>\n");
        h.append(overTime(r.timeline()));
        h.append("<h2>Purges over time</h2>\n");
        h.append(perSecondChart(r.timeline(), "accepted/s"));
        h.append("<h2>Latency by percentile</h2>\n");
        h.append(chart(
                List.of(
                        series("propagation", "#1f77b4", r.propagationDistribution()),
                        series("accept", "#ff7f0e", r.acceptDistribution())),
                "percentile",
                "ms",
                true,
                ReportHtml::percentileLabel));
        LoadReport hits = r.hits();
        if (hits != null) {
            h.append("<h2>Cache hits during the storm</h2>\n<table>\n");
            row(h, "target", hits.target());
            row(h, "workload", hits.workload() + ", " + hits.mode() + " loop at " + fmt(hits.rate()) + " requests/s");
            row(h, "requests", hits.sent() + " sent, " + hits.completed() + " completed, " + hits.ok() + " ok");
            row(h, "errors", hits.errorCount() + (hits.errors().isEmpty() ? "" : " " + new TreeMap<>(hits.errors())));
            row(h, "X-Cache", new TreeMap<>(hits.xCache()).toString());
            h.append("</table>\n");
            latencyTable(h, hits);
            h.append("<h2>Hit latency over time</h2>\n");
            h.append(overTime(hits.timeline()));
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** The document's start, through the page's heading. */
    private static void head(StringBuilder h, String title) {
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>Strata load test: ")
                .append(escape(title))
                .append("</title>\n<style>\n")
                .append("body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }\n")
                .append("table { border-collapse: collapse; margin: 1em 0; }\n")
                .append("td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }\n")
                .append("td.n { text-align: right; font-variant-numeric: tabular-nums; }\n")
                .append("svg { display: block; margin: 0.5em 0 2em; }\n")
                .append("</style>\n</head>\n<body>\n<h1>Strata load test</h1>\n");
    }

    /** A load run's latency (and, in an open loop, service time) table. */
    private static void latencyTable(StringBuilder h, LoadReport r) {
        h.append(LATENCY_HEAD);
        latencyRow(h, r.mode().equals("open") ? "latency (from intended send)" : "latency", r.latency());
        if (r.mode().equals("open")) {
            latencyRow(h, "service time (from actual send)", r.serviceTime());
        }
        h.append("</table>\n");
    }

    /** p50, p90, p99 and max of each second. */
    private static String overTime(List<LoadReport.Interval> t) {
        double[] seconds = t.stream().mapToDouble(LoadReport.Interval::second).toArray();
        return chart(
                List.of(
                        new Series(
                                "p50",
                                "#1f77b4",
                                seconds,
                                t.stream().mapToDouble(LoadReport.Interval::p50).toArray()),
                        new Series(
                                "p90",
                                "#2ca02c",
                                seconds,
                                t.stream().mapToDouble(LoadReport.Interval::p90).toArray()),
                        new Series(
                                "p99",
                                "#ff7f0e",
                                seconds,
                                t.stream().mapToDouble(LoadReport.Interval::p99).toArray()),
                        new Series(
                                "max",
                                "#d62728",
                                seconds,
                                t.stream().mapToDouble(LoadReport.Interval::max).toArray())),
                "seconds",
                "ms",
                true,
                x -> fmt(x));
    }

    /** Each second's count ({@code label}) and errors, per second. */
    private static String perSecondChart(List<LoadReport.Interval> t, String label) {
        double[] seconds = t.stream().mapToDouble(LoadReport.Interval::second).toArray();
        return chart(
                List.of(
                        new Series(label, "#1f77b4", seconds, perSecond(t, false)),
                        new Series("errors/s", "#d62728", seconds, perSecond(t, true))),
                "seconds",
                "per second",
                false,
                x -> fmt(x));
    }

    private static double[] perSecond(List<LoadReport.Interval> t, boolean errors) {
        double[] y = new double[t.size()];
        double previous = 0;
        for (int i = 0; i < t.size(); i++) {
            double span = t.get(i).second() - previous;
            previous = t.get(i).second();
            long n = errors ? t.get(i).errors() : t.get(i).requests();
            y[i] = span > 0 ? n / span : 0;
        }
        return y;
    }

    private static Series series(String name, String color, List<LoadReport.Percentile> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            x[i] = percentileX(points.get(i).percentile(), points);
            y[i] = points.get(i).millis();
        }
        return new Series(name, color, x, y);
    }

    /** {@code log10(1 / (1 - p))}; 100 % goes half a decade right of the last finite point. */
    private static double percentileX(double percentile, List<LoadReport.Percentile> points) {
        if (percentile >= 100) {
            double last = 0;
            for (LoadReport.Percentile p : points) {
                if (p.percentile() < 100) {
                    last = Math.log10(100 / (100 - p.percentile()));
                }
            }
            return last + 0.5;
        }
        return Math.log10(100 / (100 - percentile));
    }

    private static String percentileLabel(double x) {
        double p = 100 * (1 - Math.pow(10, -x));
        return String.format(Locale.ROOT, "%s%%", fmt(p));
    }

    /** A line chart with a legend; the y axis logarithmic when {@code logY}. */
    private static String chart(
            List<Series> series, String xTitle, String yTitle, boolean logY, DoubleFunction<String> xLabel) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                minX = Math.min(minX, s.x()[i]);
                maxX = Math.max(maxX, s.x()[i]);
                if (s.y()[i] > 0) {
                    minY = Math.min(minY, s.y()[i]);
                }
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-size=\"11\" font-family=\"sans-serif\">\n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                LEFT,
                TOP,
                plotW,
                plotH));
        if (maxX == Double.NEGATIVE_INFINITY) {
            svg.append(String.format(
                    Locale.ROOT, "<text x=\"%d\" y=\"%d\">no data</text>\n</svg>\n", LEFT + 10, TOP + 20));
            return svg.toString();
        }
        if (maxX <= minX) {
            maxX = minX + 1;
        }
        double lowY;
        double highY;
        if (logY) {
            lowY = Math.floor(Math.log10(minY == Double.POSITIVE_INFINITY ? 0.01 : minY));
            highY = Math.ceil(Math.log10(Math.max(maxY, Math.pow(10, lowY + 1))));
            if (highY <= lowY) {
                highY = lowY + 1;
            }
        } else {
            lowY = 0;
            highY = maxY > 0 ? niceCeiling(maxY) : 1;
        }
        double fx0 = minX;
        double fx1 = maxX;
        double fy0 = lowY;
        double fy1 = highY;
        DoubleFunction<Double> px = x -> LEFT + (x - fx0) / (fx1 - fx0) * plotW;
        DoubleFunction<Double> py = y -> {
            double v = logY ? Math.log10(Math.max(y, Math.pow(10, fy0))) : y;
            return TOP + plotH - (v - fy0) / (fy1 - fy0) * plotH;
        };
        // y ticks: decades on a log axis, five steps on a linear one
        int steps = logY ? (int) (highY - lowY) : 5;
        for (int i = 0; i <= steps; i++) {
            double v = logY ? Math.pow(10, lowY + i) : highY * i / steps;
            double y = py.apply(v);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT,
                    y,
                    LEFT + plotW,
                    y,
                    LEFT - 5,
                    y + 4,
                    escape(fmt(v))));
        }
        for (int i = 0; i <= 6; i++) {
            double v = minX + (maxX - minX) * i / 6;
            double x = px.apply(v);
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x,
                    TOP + plotH + 15,
                    escape(xLabel.apply(v))));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                LEFT + plotW / 2,
                HEIGHT - 5,
                escape(xTitle)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s%s</text>\n",
                TOP + plotH / 2,
                TOP + plotH / 2,
                escape(yTitle),
                logY ? " (log)" : ""));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                points.append(String.format(
                        Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", px.apply(s.x()[i]), py.apply(s.y()[i])));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>\n",
                    s.color(),
                    points));
            int ly = TOP + 10 + 16 * k;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                    LEFT + plotW + 10,
                    ly,
                    LEFT + plotW + 30,
                    ly,
                    s.color(),
                    LEFT + plotW + 35,
                    ly + 4,
                    escape(s.name())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double niceCeiling(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * decade >= v) {
                return step * decade;
            }
        }
        return 10 * decade;
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>")
                .append(escape(name))
                .append("</th><td>")
                .append(escape(value))
                .append("</td></tr>\n");
    }

    private static void latencyRow(StringBuilder h, String name, LoadReport.Latency l) {
        h.append("<tr><th>").append(escape(name)).append("</th>");
        for (double v : new double[] {l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.mean()}) {
            h.append("<td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%.3f", v))
                    .append("</td>");
        }
        h.append("<td class=\"n\">").append(l.count()).append("</td></tr>\n");
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceFirst("\\.?0+(e|$)", "$1");
    }

    /** Text for HTML and XML alike. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
