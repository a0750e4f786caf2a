package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered list of HTTP header fields; names compare case-insensitively, repeated
 * fields keep their order. Equal by its fields.
 *
 * <p>A stored response's headers are written to many clients: a writer can keep one form of them
 * prepared for its protocol with the list ({@link #prepared}), so that a cache hit does not convert,
 * filter and look up every field again.
 */
public final class HeaderList {
    /** One header field line. */
    public record Field(String name, String value) {
        public Field {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }
    }

    private static final HeaderList EMPTY = new HeaderList(List.of());

    private final List<Field> fields;
    /** What {@link #prepared} computed last; racy but safe: its values are immutable. */
    private @Nullable Object prepared;

    /** @param fields the fields in the order they were received */
    public HeaderList(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    /** The fields in the order they were received. */
    public List<Field> fields() {
        return fields;
    }

    /**
     * These fields in the form {@code prepare} makes of them, computed once per list and form: a
     * writer's own, immutable view (such as names converted for its server and fields it never
     * sends dropped). Keeps one form: asking for another replaces it. Thread-safe: two threads may
     * both compute it, and either result is kept.
     *
     * @param form the class of the prepared form; a kept value of another class is recomputed
     */
    public <T> T prepared(Class<T> form, Function<HeaderList, T> prepare) {
        Object kept = prepared;
        if (form.isInstance(kept)) {
            return form.cast(kept);
        }
        T made = prepare.apply(this);
        prepared = made;
        return made;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof HeaderList list && fields.equals(list.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "HeaderList" + fields;
    }

    public static HeaderList of() {
        return EMPTY;
    }

    /** Fields from alternating names and values: {@code of("Content-Type", "text/html")}. */
    public static HeaderList of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: odd length (expected: name, value pairs)");
        }
        List<Field> list = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new HeaderList(list);
    }

    /** The first value of {@code name}, or null. */
    public @Nullable String first(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                values.add(field.value());
            }
        }
        return values;
    }

    public boolean contains(String name) {
        return first(name) != null;
    }

    /** This list followed by the fields of {@code more}. */
    public HeaderList plus(HeaderList more) {
        if (more.fields().isEmpty()) {
            return this;
        }
        List<Field> joined = new ArrayList<>(fields.size() + more.fields().size());
        joined.addAll(fields);
        joined.addAll(more.fields());
        return new HeaderList(joined);
    }

    /** This list without the fields whose names are in {@code names} (case-insensitive). */
    public HeaderList without(Set<String> names) {
        Set<String> drop = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        drop.addAll(names);
        List<Field> kept = new ArrayList<>(fields.size());
        for (Field field : fields) {
            if (!drop.contains(field.name())) {
                kept.add(field);
            }
        }
        return kept.size() == fields.size() ? this : new HeaderList(kept);
    }

    /** An estimate of the bytes these fields take in memory, for cache weighing. */
    public long weight() {
        long bytes = 16;
        for (Field field : fields) {
            bytes += 48 + 2L * (field.name().length() + field.value().length());
        }
        return bytes;
    }
}
