package dev.strata.cache.store;

import dev.strata.cache.key.VaryKey;
import java.util.List;

/**
 * The entry under the key of a URL whose responses vary (RFC 9111 §4.1): the request fields the
 * latest stored variant nominated in {@code Vary}. A lookup reads it to compute the request's
 * {@link VaryKey}; storing a variant that nominates other fields replaces it.
 *
 * @param fieldNames lower case, sorted, distinct, not empty, not {@code *} (see {@link
 *     VaryKey#fieldNames})
 */
public record VaryMarker(List<String> fieldNames) implements StoredEntry {
    public VaryMarker {
        fieldNames = List.copyOf(fieldNames);
        if (fieldNames.isEmpty() || VaryKey.isAny(fieldNames)) {
            throw new IllegalArgumentException("fieldNames: " + fieldNames + " (expected: fields, not empty or *)");
        }
    }

    /** The marker of the fields {@code key} was computed from. */
    public static VaryMarker of(VaryKey key) {
        return new VaryMarker(key.fieldNames());
    }

    @Override
    public long weight() {
        long bytes = 64;
        for (String name : fieldNames) {
            bytes += 48 + 2L * name.length();
        }
        return bytes;
    }
}
