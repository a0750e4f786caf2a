package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/strata.example.yaml} and {@code docs/configuration.md} in step with the model:
 * the example is accepted, and both name every key of every record.
 */
class ExampleConfigTest {
    private static final Path DOCS = findDocs();

    @Test
    void exampleFileIsAccepted() {
        StrataConfig config = ConfigLoader.load(DOCS.resolve("strata.example.yaml"));

        assertThat(config.sites()).isNotEmpty();
    }

    @Test
    void exampleFileNamesEveryKey() throws Exception {
        Path example = DOCS.resolve("strata.example.yaml");
        Value tree = YamlParser.parse(Files.readString(example, StandardCharsets.UTF_8), example.toString());

        assertThat(keyPaths(StrataConfig.class, "")).isNotEmpty().allSatisfy(path -> assertThat(
                        contains(tree, List.of(path.split("\\.", -1))))
                .as("%s is in %s", path, example)
                .isTrue());
    }

    @Test
    void configurationPageDocumentsEveryKey() throws Exception {
        String page = Files.readString(DOCS.resolve("configuration.md"), StandardCharsets.UTF_8);

        assertThat(leaves(keyPaths(StrataConfig.class, "")))
                .allSatisfy(path -> assertThat(page).contains("`" + path + "`"));
    }

    @Test
    void configurationPageStatesTheDefaults() throws Exception {
        Pattern row = Pattern.compile("^\\| `([a-z.-]+)` \\|[^|]*\\| `([^`]*)` \\|");
        List<String> checked = new ArrayList<>();
        for (String line : Files.readAllLines(DOCS.resolve("configuration.md"), StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                String written = m.group(2);
                Object value = written.equals("[]") ? List.of() : written;
                // Setting a key to its documented default changes nothing.
                assertThat(ConfigLoader.load(null, Map.of(m.group(1), value)))
                        .as("default of %s", m.group(1))
                        .isEqualTo(StrataConfig.defaults());
                checked.add(m.group(1));
            }
        }
        assertThat(checked)
                .containsAll(leaves(keyPaths(StrataConfig.class, "")).stream()
                        // list items have no defaults of their own (sites[], purge-api.tokens[])
                        .filter(path -> !path.startsWith("sites") && !path.contains("[]"))
                        .toList());
    }

    @Test
    void exampleFileShowsTheDefaultsExceptWhereItSaysSo() {
        // The example gives these keys values to show their form; its comments give the defaults.
        StrataConfig example = ConfigLoader.load(
                DOCS.resolve("strata.example.yaml"),
                Map.of(
                        "edge.shields",
                        List.of(),
                        "waf.allow",
                        List.of(),
                        "waf.deny",
                        List.of(),
                        "node.purge-api",
                        List.of(),
                        "purge-api.tokens",
                        List.of(),
                        "waf.rules",
                        List.of(),
                        "rate-limits.rules",
                        List.of()));

        assertThat(example.withSites(List.of())).isEqualTo(StrataConfig.defaults());
        assertThat(example.sites().get(0).cache())
                .usingRecursiveComparison()
                .ignoringFields("dropQueryParams")
                .isEqualTo(CachePolicyConfig.defaults());
    }

    @Test
    void exampleFileRendersAndReloadsUnchanged() {
        StrataConfig config = ConfigLoader.load(DOCS.resolve("strata.example.yaml"));

        assertThat(ConfigLoader.parse(ConfigPrinter.render(config), "rendered")).isEqualTo(config);
    }

    /**
     * Every key path of the model, walking the record components: {@code edge.cache.dir}, and for a
     * list of records {@code sites[].cache.max-stale}.
     */
    static List<String> keyPaths(Class<?> record, String prefix) {
        List<String> paths = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String path = prefix + Keys.kebab(component.getName());
            paths.add(path);
            Class<?> type = component.getType();
            if (ScalarType.isMap(type)) {
                paths.addAll(keyPaths(type, path + "."));
            } else if (type == List.class
                    && ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0]
                            instanceof Class<?> item
                    && ScalarType.isMap(item)) {
                paths.addAll(keyPaths(item, path + "[]."));
            }
        }
        return paths;
    }

    /** The paths that are not sections: those no other path continues. */
    private static List<String> leaves(List<String> paths) {
        return paths.stream()
                .filter(path -> paths.stream().noneMatch(other -> other.startsWith(path + ".")))
                .filter(path -> paths.stream().noneMatch(other -> other.startsWith(path + "[].")))
                .toList();
    }

    /** Whether the path is written in the tree; {@code name[]} holds when any list item has the rest. */
    private static boolean contains(Value value, List<String> path) {
        if (path.isEmpty()) {
            return true;
        }
        if (!(value instanceof Value.Mapping mapping)) {
            return false;
        }
        String key = path.get(0);
        boolean each = key.endsWith("[]");
        Value.Entry entry = mapping.entries().get(each ? key.substring(0, key.length() - 2) : key);
        if (entry == null) {
            return false;
        }
        List<String> rest = path.subList(1, path.size());
        if (!each) {
            return contains(entry.value(), rest);
        }
        return entry.value() instanceof Value.Sequence sequence
                && sequence.items().stream().anyMatch(item -> contains(item, rest));
    }

    /** {@code docs/} of the repository: next to the module directory Surefire runs in, or above. */
    private static Path findDocs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path docs = dir.resolve("docs");
            if (Files.isRegularFile(docs.resolve("strata.example.yaml"))) {
                return docs;
            }
        }
        throw new IllegalStateException(
                "no docs/strata.example.yaml above " + Path.of("").toAbsolutePath());
    }
}
