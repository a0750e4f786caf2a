package dev.strata.config;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Prints a configuration as YAML in the layout {@link ConfigLoader} reads, every key included, so
 * an operator sees the effective values ({@code strata config check}) and loading the output gives
 * an equal configuration. Sizes print as {@link ByteSize#toString()}, durations in the largest
 * exact unit ({@link Durations#format}). Stateless and thread-safe.
 */
public final class ConfigPrinter {
    private ConfigPrinter() {}

    /**
     * Renders {@code config} as a YAML document.
     *
     * @return YAML text ending with a line break
     */
    public static String render(StrataConfig config) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        return new Yaml(options).dump(toYaml(config));
    }

    /** Records become maps of kebab-case keys, lists stay lists, values become their written form. */
    private static Object toYaml(Object value) {
        if (value instanceof OriginServer origin && origin.weight() == 1) {
            return origin.url().toString(); // the short form
        }
        if (value instanceof Record record && ScalarType.isMap(record.getClass())) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                map.put(Keys.kebab(component.getName()), toYaml(read(component, record)));
            }
            return map;
        } else if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(toYaml(item));
            }
            return items;
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Double) {
            return value;
        } else if (value instanceof Duration duration) {
            return Durations.format(duration);
        }
        return value.toString(); // String, ByteSize, ListenAddress, Path, URI
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
