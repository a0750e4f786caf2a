package dev.strata.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition (format 0.0.4), parsed strictly enough for tests:
 * {@code name{label="value",…} number}, comments skipped. A line that is neither fails the parse.
 */
record PrometheusText(List<PrometheusText.Sample> samples) {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One sample: a metric name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                int end = 0;
                while (label.lookingAt()) {
                    labels.put(label.group(1), label.group(2));
                    end = label.end();
                    label.region(end, sample.group(2).length());
                }
                if (end != sample.group(2).length()) {
                    throw new IllegalArgumentException("bad labels: " + line);
                }
            }
            samples.add(new Sample(sample.group(1), Map.copyOf(labels), Double.parseDouble(sample.group(3))));
        }
        return new PrometheusText(List.copyOf(samples));
    }

    /** The samples named {@code name} whose labels include every pair of {@code labels} (name, value, …). */
    List<Sample> find(String name, String... labels) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && matches(sample.labels(), labels)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The one sample named {@code name} with {@code labels}; fails when there is none or several. */
    double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(
                    "expected one sample " + name + " " + List.of(labels) + ", found " + found.size() + ": " + found);
        }
        return found.get(0).value();
    }

    /** The sum of every sample named {@code name} with {@code labels}. */
    double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** Every distinct metric name. */
    List<String> names() {
        return samples.stream().map(Sample::name).distinct().toList();
    }

    private static boolean matches(Map<String, String> actual, String... expected) {
        for (int i = 0; i < expected.length; i += 2) {
            if (!expected[i + 1].equals(actual.get(expected[i]))) {
                return false;
            }
        }
        return true;
    }
}
