package dev.strata.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML text into a {@link Value} tree with line numbers, using SnakeYAML's composer only (no
 * object construction, so no tags can instantiate classes). One document; duplicate keys, anchors
 * and aliases are rejected; input size and nesting are bounded so a hostile file cannot exhaust
 * memory or the stack.
 */
final class YamlParser {
    /** The largest configuration accepted, in code points (and, for files, in bytes). */
    static final int MAX_SIZE = 1 << 20;

    private static final int MAX_NESTING = 32;

    private final String source;

    private YamlParser(String source) {
        this.source = source;
    }

    /**
     * Parses {@code text}; an empty document (or one of only comments) is {@link Value.Nothing}.
     *
     * @param source the file name used in error messages
     * @throws ConfigException for text that is not YAML or uses what the configuration forbids
     */
    static Value parse(String text, String source) {
        return new YamlParser(source).parse(text);
    }

    private Value parse(String text) {
        if (text.length() > MAX_SIZE) {
            throw tooLarge(source);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_SIZE);
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        @Nullable Node root;
        try {
            root = new Yaml(options).compose(new StringReader(body));
        } catch (MarkedYAMLException e) {
            throw syntaxError(e);
        } catch (YAMLException e) {
            throw Location.of(source).error(KeyPath.ROOT, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return new Value.Nothing(new Location(source, 1));
        }
        return convert(root, KeyPath.ROOT);
    }

    /** The error for a configuration larger than {@link #MAX_SIZE}. */
    static ConfigException tooLarge(String source) {
        return Location.of(source)
                .error(KeyPath.ROOT, "too large (expected: at most " + ByteSize.ofBytes(MAX_SIZE) + ")");
    }

    private ConfigException syntaxError(MarkedYAMLException e) {
        @Nullable Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Location at = mark == null ? Location.of(source) : new Location(source, mark.getLine() + 1);
        if ("expected a single document in the stream".equals(e.getContext())) {
            return at.error(KeyPath.ROOT, "more than one YAML document (expected: one)");
        }
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        return at.error(KeyPath.ROOT, "not valid YAML: " + problem);
    }

    private Value convert(Node node, KeyPath path) {
        Location at = locate(node);
        if (node.getAnchor() != null) {
            throw at.error(path, "anchors and aliases are not supported (expected: plain values)");
        }
        if (node instanceof ScalarNode scalar) {
            return Tag.NULL.equals(scalar.getTag()) ? new Value.Nothing(at) : new Value.Scalar(scalar.getValue(), at);
        } else if (node instanceof SequenceNode sequence) {
            List<Value> items = new ArrayList<>(sequence.getValue().size());
            for (Node item : sequence.getValue()) {
                items.add(convert(item, path.index(items.size())));
            }
            return new Value.Sequence(items, at);
        }
        MappingNode mapping = (MappingNode) node;
        LinkedHashMap<String, Value.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Location keyAt = locate(keyNode);
            if (keyNode.getAnchor() != null) {
                throw keyAt.error(path, "anchors and aliases are not supported (expected: plain values)");
            }
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                throw keyAt.error(
                        path, "expected a key name, got " + (keyNode instanceof SequenceNode ? "a list" : "a map"));
            }
            String key = keyScalar.getValue();
            KeyPath keyPath = path.child(key);
            Value.Entry first = entries.get(key);
            if (first != null) {
                throw keyAt.error(
                        keyPath, "duplicate key (first on line " + first.keyAt().line() + ")");
            }
            entries.put(key, new Value.Entry(key, keyAt, convert(tuple.getValueNode(), keyPath)));
        }
        return new Value.Mapping(entries, at);
    }

    private Location locate(Node node) {
        return new Location(source, node.getStartMark().getLine() + 1);
    }
}
