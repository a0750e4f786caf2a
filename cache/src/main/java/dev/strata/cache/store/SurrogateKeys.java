package dev.strata.cache.store;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The surrogate keys (tags) of a response, which a purge can name: the tokens of its {@code
 * Surrogate-Key} (Fastly, Varnish xkey) and {@code Cache-Tag} (Cloudflare, Akamai) fields,
 * separated by spaces or commas. Keys are compared exactly, case included.
 */
public final class SurrogateKeys {
    /** The fields that carry surrogate keys. */
    public static final Set<String> FIELDS = Set.of("Surrogate-Key", "Cache-Tag");

    private SurrogateKeys() {}

    /** Every surrogate key of {@code headers}, in order, without duplicates; empty when none. */
    public static Set<String> of(HeaderList headers) {
        Set<String> keys = new LinkedHashSet<>();
        for (HeaderList.Field field : headers.fields()) {
            if (FIELDS.stream().anyMatch(field.name()::equalsIgnoreCase)) {
                addTokens(field.value(), keys);
            }
        }
        return keys;
    }

    private static void addTokens(String value, Set<String> keys) {
        int start = -1;
        for (int i = 0; i <= value.length(); i++) {
            boolean separator = i == value.length() || isSeparator(value.charAt(i));
            if (separator && start >= 0) {
                keys.add(value.substring(start, i));
                start = -1;
            } else if (!separator && start < 0) {
                start = i;
            }
        }
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == ',' || c == '\t';
    }
}
