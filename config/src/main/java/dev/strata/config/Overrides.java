package dev.strata.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies command-line flags to the tree read from the file, before anything is bound or checked,
 * so a flag is validated exactly like the same key in the file and wins over it.
 */
final class Overrides {
    private Overrides() {}

    /**
     * Sets each dotted key path of {@code overrides} in {@code root}, creating maps on the way.
     *
     * @param overrides values are a {@code String} (a scalar) or a {@code List} (a list of scalars);
     *     other objects are taken as their {@code toString()}
     * @return the tree with the flags applied; {@code root} may have been changed in place
     */
    static Value apply(Value root, Map<String, Object> overrides) {
        if (overrides.isEmpty()) {
            return root;
        }
        Value result = root instanceof Value.Nothing ? Value.Mapping.empty(root.at()) : root;
        // Sorted, so that with several bad flags the same one is reported every time.
        for (Map.Entry<String, Object> flag : new TreeMap<>(overrides).entrySet()) {
            if (result instanceof Value.Mapping mapping) {
                set(mapping, flag.getKey(), flag.getValue());
            }
        }
        return result;
    }

    private static void set(Value.Mapping root, String dotted, Object raw) {
        Location at = Location.COMMAND_LINE;
        String[] keys = dotted.split("\\.", -1);
        for (String key : keys) {
            if (key.isEmpty()) {
                throw at.error(new KeyPath(dotted), "not a key path (expected: dotted keys, e.g. edge.listen)");
            }
        }
        if (keys[0].equals("sites")) {
            throw at.error(
                    new KeyPath("sites"),
                    "cannot be set on the command line (expected: sites in a configuration file)");
        }
        Value.Mapping mapping = root;
        for (int i = 0; i < keys.length - 1; i++) {
            Value.Entry entry = mapping.entries().get(keys[i]);
            if (entry == null || entry.value() instanceof Value.Nothing) {
                Value.Mapping created = Value.Mapping.empty(at);
                Location keyAt = entry == null ? at : entry.keyAt();
                mapping.entries().put(keys[i], new Value.Entry(keys[i], keyAt, created));
                mapping = created;
            } else if (entry.value() instanceof Value.Mapping existing) {
                mapping = existing;
            } else {
                return; // the file's value is not a map: binding reports that, with its line
            }
        }
        String last = keys[keys.length - 1];
        Value.Entry existing = mapping.entries().get(last);
        Location keyAt = existing == null ? at : existing.keyAt();
        mapping.entries().put(last, new Value.Entry(last, keyAt, valueOf(raw)));
    }

    private static Value valueOf(Object raw) {
        if (raw instanceof List<?> list) {
            List<Value> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(new Value.Scalar(String.valueOf(item), Location.COMMAND_LINE));
            }
            return new Value.Sequence(items, Location.COMMAND_LINE);
        }
        return new Value.Scalar(raw.toString(), Location.COMMAND_LINE);
    }
}
