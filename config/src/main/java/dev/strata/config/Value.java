package dev.strata.config;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The untyped tree read from YAML (or built from command-line flags) before it is bound to the
 * records; every node remembers where it came from, so errors can name the line.
 */
sealed interface Value permits Value.Scalar, Value.Sequence, Value.Mapping, Value.Nothing {
    Location at();

    /** A scalar's text exactly as written, whatever YAML would resolve it to. */
    record Scalar(String text, Location at) implements Value {}

    /** A YAML sequence. */
    record Sequence(List<Value> items, Location at) implements Value {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /**
     * A YAML mapping from key to entry, in document order. The map is mutable only while
     * command-line overrides are applied to a freshly read tree.
     */
    record Mapping(LinkedHashMap<String, Entry> entries, Location at) implements Value {
        static Mapping empty(Location at) {
            return new Mapping(new LinkedHashMap<>(), at);
        }
    }

    /** A key with nothing after it, {@code ~} or {@code null}. */
    record Nothing(Location at) implements Value {}

    /** One key of a mapping, with where the key itself was written. */
    record Entry(String key, Location keyAt, Value value) {}

    /** How a value is named in "expected X, got Y". */
    static String describe(Value value) {
        if (value instanceof Scalar scalar) {
            return Scalars.quote(scalar.text());
        } else if (value instanceof Sequence) {
            return "a list";
        } else if (value instanceof Mapping) {
            return "a map";
        } else {
            return "nothing";
        }
    }
}
