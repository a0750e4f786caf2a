package dev.strata.config;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Key names: the kebab-case form of record components, and suggestions for misspelled keys. */
final class Keys {
    private Keys() {}

    /** {@code maxObjectSize} becomes {@code max-object-size}. */
    static String kebab(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The detail of an unknown-key error: the closest valid key when one is close (a camelCase or
     * snake_case spelling of it, or within an edit distance of 2 or a third of its length), else
     * every valid key.
     */
    static String unknown(String key, List<String> valid) {
        String normalized = kebab(key).replace('_', '-').toLowerCase(Locale.ROOT);
        @Nullable String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : valid) {
            int distance = Math.min(distance(normalized, candidate), distance(key.toLowerCase(Locale.ROOT), candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && (bestDistance <= 2 || bestDistance <= best.length() / 3)) {
            return "unknown key (did you mean \"" + best + "\"?)";
        }
        return "unknown key (expected one of: " + String.join(", ", valid) + ")";
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions or substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
