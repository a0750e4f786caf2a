package dev.strata.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys whose values differ between two configurations, as key paths in the file's layout:
 * {@code edge.listen}, {@code sites[0].origins[1].url}. Sections and list items are compared key by
 * key; a list whose length changed is one change ({@code sites}, {@code sites[0].origins}). What a
 * reload reports. Stateless and thread-safe.
 */
public final class ConfigDiff {
    private ConfigDiff() {}

    /** The changed keys, in the order of the model (and of {@code docs/configuration.md}). */
    public static List<String> changes(StrataConfig before, StrataConfig after) {
        List<String> changed = new ArrayList<>();
        compare(before, after, KeyPath.ROOT, changed);
        return List.copyOf(changed);
    }

    private static void compare(Object before, Object after, KeyPath path, List<String> changed) {
        if (before.equals(after)) {
            return;
        }
        if (before instanceof Record && before.getClass() == after.getClass() && ScalarType.isMap(before.getClass())) {
            for (RecordComponent component : before.getClass().getRecordComponents()) {
                compare(
                        Binder.read(component, before),
                        Binder.read(component, after),
                        path.child(Keys.kebab(component.getName())),
                        changed);
            }
        } else if (before instanceof List<?> was && after instanceof List<?> is && was.size() == is.size()) {
            for (int i = 0; i < was.size(); i++) {
                compare(was.get(i), is.get(i), path.index(i), changed);
            }
        } else {
            changed.add(path.toString());
        }
    }
}
