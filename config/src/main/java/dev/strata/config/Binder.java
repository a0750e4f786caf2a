package dev.strata.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Binds a {@link Value} tree to the configuration records.
 *
 * <p>The YAML layout is the records' layout: each record is a map whose keys are its components in
 * kebab-case ({@code maxObjectSize} is {@code max-object-size}), and a key left out takes the value
 * of the record's {@code defaults()}, or for the few in {@link #DERIVED} a value that follows the
 * record's other keys. The binding is driven by reflection over the record
 * components, so a component added to a record is at once readable, printable by {@link
 * ConfigPrinter} and checked against the documentation by the tests. What the types alone cannot
 * say is in the few tables below, keyed by {@code Record.component}.
 *
 * <p>Mapping entries are bound in document order and the first problem is thrown, so the error
 * reported is (nearly always) the first one in the file.
 */
final class Binder {
    /** Scalar forms narrower than the component's Java type (for lists: of each item). */
    private static final Map<String, ScalarType> FORMS = Map.ofEntries(
            Map.entry("NodeConfig.name", ScalarType.NODE_NAME),
            Map.entry("SiteConfig.name", ScalarType.SITE_NAME),
            Map.entry("SiteConfig.hosts", ScalarType.HOST),
            Map.entry("SiteConfig.balancer", ScalarType.BALANCER),
            Map.entry("EdgeConfig.shieldBalancer", ScalarType.BALANCER),
            Map.entry("AccessLogConfig.format", ScalarType.ACCESS_LOG_FORMAT),
            Map.entry("CompressionConfig.types", ScalarType.MEDIA_RANGE),
            Map.entry("WafConfig.allow", ScalarType.NETWORK),
            Map.entry("WafConfig.deny", ScalarType.NETWORK),
            Map.entry("CachePolicyConfig.dropQueryParams", ScalarType.QUERY_PARAM),
            Map.entry("PurgeLogConfig.kind", ScalarType.LOG_KIND),
            Map.entry("NatsLogConfig.servers", ScalarType.NATS_URL),
            Map.entry("NatsLogConfig.stream", ScalarType.STREAM_NAME),
            Map.entry("WafConfig.mode", ScalarType.WAF_MODE),
            Map.entry("WafConfig.allowedMethods", ScalarType.METHOD),
            Map.entry("WafConfig.disabledRules", ScalarType.RULE_ID),
            Map.entry("WafRuleConfig.id", ScalarType.RULE_ID),
            Map.entry("WafRuleConfig.targets", ScalarType.WAF_TARGET),
            Map.entry("WafRuleConfig.pattern", ScalarType.REGEX),
            Map.entry("RateLimitRuleConfig.name", ScalarType.LIMIT_NAME),
            Map.entry("RateLimitRuleConfig.hosts", ScalarType.HOST),
            Map.entry("RateLimitRuleConfig.pathPrefix", ScalarType.PATH_PREFIX),
            Map.entry("RateLimitRuleConfig.key", ScalarType.LIMIT_KEY));

    private static final String ORIGINS_EXPECTED = "a list of origin URLs, e.g. [http://127.0.0.1:8000]";

    /** Components without a default: leaving them out is an error with this expectation. */
    private static final Map<String, String> REQUIRED = Map.of(
            "SiteConfig.origins",
            ORIGINS_EXPECTED,
            "OriginServer.url",
            "the origin's URL, e.g. {url: http://127.0.0.1:8000, weight: 2}",
            "PurgeTokenConfig.sha256",
            "the SHA-256 of the token in hex, e.g. from: printf %s TOKEN | sha256sum",
            "WafRuleConfig.id",
            "the rule's id, e.g. block-wp-login",
            "WafRuleConfig.targets",
            "what the rule inspects, e.g. [path, query]",
            "WafRuleConfig.pattern",
            "a regular expression, e.g. (?i)^/wp-login\\.php",
            "RateLimitRuleConfig.requestsPerSecond",
            "the limit's refill rate, e.g. 10",
            "RateLimitRuleConfig.burst",
            "the limit's bucket size, e.g. 20");

    /**
     * Components whose value, when left out, follows the record's other components (given or at
     * their defaults) instead of the defaults record: each function reads the components before it
     * in the record, by name.
     */
    private static final Map<String, Function<Map<String, Object>, Object>> DERIVED = Map.of(
            "CacheConfig.maxMemoryObjectSize",
            earlier -> CacheConfig.defaultMaxMemoryObjectSize(
                    (ByteSize) Objects.requireNonNull(earlier.get("memory"), "memory comes first")));

    /** Lists that may not be empty, with what was expected. */
    private static final Map<String, String> NON_EMPTY = Map.of(
            "SiteConfig.origins",
            ORIGINS_EXPECTED,
            "SiteConfig.hosts",
            "at least one host name or *, e.g. [www.example.com]",
            "NatsLogConfig.servers",
            "at least one NATS URL, e.g. [nats://127.0.0.1:4222]",
            "WafConfig.allowedMethods",
            "at least one method, e.g. [GET, HEAD]",
            "WafRuleConfig.targets",
            "at least one of path, query, method, host, user-agent, headers or header:NAME",
            "RateLimitRuleConfig.hosts",
            "at least one host name or *, e.g. [api.example.com]");

    private Binder() {}

    /** Binds the whole tree; a missing or empty document gives {@link StrataConfig#defaults()}. */
    static StrataConfig bind(Value root) {
        return (StrataConfig) bindRecord(root, StrataConfig.class, StrataConfig.defaults(), KeyPath.ROOT);
    }

    private static Object bindRecord(Value value, Class<?> type, Object defaults, KeyPath path) {
        Value.Mapping mapping;
        if (value instanceof Value.Mapping written) {
            mapping = written;
        } else if (value instanceof Value.Nothing) {
            mapping = Value.Mapping.empty(value.at());
        } else {
            throw value.at().error(path, "expected a map, got " + Value.describe(value));
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> keys =
                Arrays.stream(components).map(c -> Keys.kebab(c.getName())).toList();
        Map<String, Object> bound = new HashMap<>();
        Map<String, Value> given = new HashMap<>();
        for (Value.Entry entry : mapping.entries().values()) {
            int index = keys.indexOf(entry.key());
            KeyPath keyPath = path.child(entry.key());
            if (index < 0) {
                throw entry.keyAt().error(keyPath, Keys.unknown(entry.key(), keys));
            }
            RecordComponent component = components[index];
            bound.put(component.getName(), bindComponent(entry.value(), component, keyPath, read(component, defaults)));
            given.put(component.getName(), entry.value());
        }
        if (type == WafConfig.class) {
            checkDisabledRules(bound, given, path);
        }
        Object[] arguments = new Object[components.length];
        Map<String, Object> earlier = new HashMap<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Object argument = bound.get(component.getName());
            if (argument == null) {
                String required = REQUIRED.get(id(component));
                if (required != null) {
                    throw mapping.at().error(path.child(keys.get(i)), "missing (expected: " + required + ")");
                }
                Function<Map<String, Object>, Object> derived = DERIVED.get(id(component));
                argument = derived != null ? derived.apply(earlier) : read(component, defaults);
            }
            arguments[i] = argument;
            earlier.put(component.getName(), argument);
        }
        return construct(type, components, arguments, mapping, given, path);
    }

    private static Object bindComponent(Value value, RecordComponent component, KeyPath path, Object defaultValue) {
        String id = id(component);
        Class<?> type = component.getType();
        if (ScalarType.isMap(type)) {
            return bindRecord(value, type, defaultValue, path);
        }
        if (type != List.class) {
            ScalarType form = FORMS.getOrDefault(id, ScalarType.of(type));
            return bindScalar(value, form, path);
        }
        Class<?> itemType = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
        String required = REQUIRED.get(id);
        if (value instanceof Value.Nothing && required != null) {
            throw value.at().error(path, "missing (expected: " + required + ")");
        }
        List<Value> items = items(value, path);
        List<Object> list = new ArrayList<>(items.size());
        for (Value item : items) {
            KeyPath itemPath = path.index(list.size());
            if (itemType == OriginServer.class && item instanceof Value.Scalar) {
                // An origin is written as its URL alone, or as a map with a weight.
                list.add(OriginServer.of((URI) bindScalar(item, ScalarType.URL, itemPath)));
            } else if (ScalarType.isMap(itemType)) {
                list.add(bindRecord(item, itemType, itemDefaults(itemType, list.size()), itemPath));
            } else {
                list.add(bindScalar(item, FORMS.getOrDefault(id, ScalarType.of(itemType)), itemPath));
            }
        }
        String nonEmpty = NON_EMPTY.get(id);
        if (list.isEmpty() && nonEmpty != null) {
            throw value.at().error(path, "empty (expected: " + nonEmpty + ")");
        }
        if (id.equals("StrataConfig.sites")) {
            checkNames(list, items, path, "name", item -> ((SiteConfig) item).name(), name -> null);
        } else if (id.equals("WafConfig.rules")) {
            checkNames(
                    list,
                    items,
                    path,
                    "id",
                    item -> ((WafRuleConfig) item).id(),
                    ruleId -> BuiltInWafRules.ids().contains(ruleId) ? "a built-in rule's id" : null);
        } else if (id.equals("RateLimitConfig.rules")) {
            checkNames(
                    list,
                    items,
                    path,
                    "name",
                    item -> ((RateLimitRuleConfig) item).name(),
                    name -> name.equals(RateLimitConfig.DEFAULT_LIMIT) ? "the default limit's name" : null);
        }
        return list;
    }

    /**
     * The items of a list. On the command line a single string is split at commas, so {@code
     * --shields a,b} works like {@code [a, b]}; in a file a list must be written as one.
     */
    private static List<Value> items(Value value, KeyPath path) {
        if (value instanceof Value.Sequence sequence) {
            return sequence.items();
        } else if (value instanceof Value.Nothing) {
            return List.of();
        } else if (value instanceof Value.Scalar scalar && scalar.at().isCommandLine()) {
            List<Value> items = new ArrayList<>();
            for (String part : scalar.text().split(",", -1)) {
                if (!part.isBlank()) {
                    items.add(new Value.Scalar(part.strip(), scalar.at()));
                }
            }
            return items;
        }
        throw value.at().error(path, "expected a list, got " + Value.describe(value));
    }

    private static Object bindScalar(Value value, ScalarType form, KeyPath path) {
        if (!(value instanceof Value.Scalar scalar)) {
            throw value.at().error(path, "expected " + form.what() + ", got " + Value.describe(value));
        }
        try {
            return form.parse(scalar.text());
        } catch (IllegalArgumentException e) {
            throw scalar.at().error(path, String.valueOf(e.getMessage()));
        }
    }

    /** The defaults of one item of a list of records: sites, and origins written as maps. */
    private static Object itemDefaults(Class<?> type, int index) {
        if (type == SiteConfig.class) {
            // origins has no default (REQUIRED); this empty list is never used
            return new SiteConfig("site-" + (index + 1), List.of("*"), List.<URI>of(), CachePolicyConfig.defaults());
        }
        if (type == PurgeTokenConfig.class) {
            // sha256 has no default (REQUIRED); this one is never used
            return new PurgeTokenConfig("token-" + (index + 1), "0".repeat(64), List.of("*"), List.of("purge", "read"));
        }
        if (type == OriginServer.class) {
            // url has no default (REQUIRED); this one is never used
            return OriginServer.of(URI.create("http://origin.invalid"));
        }
        if (type == WafRuleConfig.class) {
            // id, targets and pattern have no default (REQUIRED); these are never used
            return new WafRuleConfig("rule-" + (index + 1), "", List.of("path"), "^$", WafRuleConfig.DEFAULT_SCORE);
        }
        if (type == RateLimitRuleConfig.class) {
            // requests-per-second and burst have no default (REQUIRED); these are never used
            return new RateLimitRuleConfig("limit-" + (index + 1), List.of("*"), "/", "client", 1, 1);
        }
        throw new IllegalStateException("no defaults for list items of " + type.getName());
    }

    /**
     * Names of list items that appear in logs, metrics and purges (sites, WAF rules, rate limits):
     * two items cannot share one, nor take one {@code reserved} says is taken (what by, or null).
     */
    private static void checkNames(
            List<Object> list,
            List<Value> items,
            KeyPath path,
            String key,
            Function<Object, String> nameOf,
            Function<String, @Nullable String> reserved) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String name = nameOf.apply(list.get(i));
            Integer first = seen.putIfAbsent(name, i);
            String takenBy = first != null ? "already the " + key + " of " + path.index(first) : reserved.apply(name);
            if (takenBy != null) {
                Value item = items.get(i);
                Location at = item.at();
                if (item instanceof Value.Mapping mapping) {
                    Value.Entry nameEntry = mapping.entries().get(key);
                    if (nameEntry != null) {
                        at = nameEntry.value().at();
                    }
                }
                throw at.error(
                        path.index(i).child(key),
                        Scalars.quote(name) + " is " + takenBy + " (expected: a unique " + key + ")");
            }
        }
    }

    /** {@code waf.disabled-rules} names built-in rules or {@code waf.rules}, which may come after it. */
    private static void checkDisabledRules(Map<String, Object> bound, Map<String, Value> given, KeyPath path) {
        Value written = given.get("disabledRules");
        if (written == null) {
            return; // at its default: empty
        }
        KeyPath listPath = path.child("disabled-rules");
        List<Value> items = items(written, listPath);
        @SuppressWarnings("unchecked")
        List<WafRuleConfig> rules = (List<WafRuleConfig>) bound.getOrDefault("rules", List.of());
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) bound.getOrDefault("disabledRules", List.of());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (!WafConfig.isRuleId(id, rules)) {
                throw items.get(i).at().error(listPath.index(i), Scalars.quote(id) + " " + WafConfig.UNKNOWN_RULE);
            }
        }
    }

    /**
     * Calls the canonical constructor. A value it rejects ({@code component: value (expected: …)})
     * is reported at that key, with the text as written.
     */
    private static Object construct(
            Class<?> type,
            RecordComponent[] components,
            Object[] arguments,
            Value.Mapping mapping,
            Map<String, Value> given,
            KeyPath path) {
        try {
            Class<?>[] types =
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException rejected) {
                throw rejection(String.valueOf(rejected.getMessage()), components, mapping, given, path);
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static ConfigException rejection(
            String message,
            RecordComponent[] components,
            Value.Mapping mapping,
            Map<String, Value> given,
            KeyPath path) {
        for (RecordComponent component : components) {
            String prefix = component.getName() + ": ";
            if (!message.startsWith(prefix)) {
                continue;
            }
            String detail = message.substring(prefix.length());
            KeyPath keyPath = path.child(Keys.kebab(component.getName()));
            Value value = given.get(component.getName());
            if (value == null) {
                return mapping.at().error(keyPath, detail);
            }
            int expected = detail.indexOf("(expected: ");
            if (value instanceof Value.Scalar scalar && expected >= 0) {
                detail = Scalars.quote(scalar.text()) + " is out of range " + detail.substring(expected);
            }
            return value.at().error(keyPath, detail);
        }
        return mapping.at().error(path, message);
    }

    /** The value of {@code component} in {@code record}. */
    static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + id(component), e);
        }
    }

    private static String id(RecordComponent component) {
        return component.getDeclaringRecord().getSimpleName() + "." + component.getName();
    }
}
