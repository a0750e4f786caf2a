package dev.strata.proxy.waf;

import dev.strata.config.BuiltInWafRules;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A compiled {@link BuiltInWafRules.Requirement}: whether a value can hold a match of a rule at all,
 * told without a regular expression. Character sets are tested against the value's masks ({@link
 * Inputs}): a few instructions. Words are found in one pass over the value: a position is looked at
 * further only when its two characters (lower case) start one of the words, which a 16,384-bit table
 * tells, and then compared in lower case (ASCII only: {@code String.regionMatches} ignoring case
 * folds every character through Unicode tables, and costs more). Immutable; {@link #NONE} lets every
 * value through.
 */
final class Requirement {
    static final Requirement NONE = new Requirement(List.of(), List.of());

    /** The character sets as masks: {@code low[i]}, {@code high[i]}. */
    private final long[] low;

    private final long[] high;
    /** Words of two characters or more, by their first character in lower case; null where none starts. */
    private final String[][] wordsByFirst = new String[128][];
    /** Bit {@code 128 × first + second} is set when a word starts with those two (lower case). */
    private final long[] starts = new long[128 * 128 / 64];
    /** Words of one character, as masks: any of them is enough. */
    private final long singleLow;

    private final long singleHigh;
    private final boolean hasWords;

    private Requirement(List<String> characterSets, List<String> words) {
        low = new long[characterSets.size()];
        high = new long[characterSets.size()];
        for (int i = 0; i < characterSets.size(); i++) {
            long[] mask = Inputs.maskOf(characterSets.get(i));
            low[i] = mask[0];
            high[i] = mask[1];
        }
        StringBuilder singles = new StringBuilder();
        for (String word : words) {
            Inputs.maskOf(word); // ASCII only
            String lower = word.toLowerCase(Locale.ROOT);
            if (lower.length() == 1) {
                singles.append(lower).append(word.toUpperCase(Locale.ROOT));
                continue;
            }
            char first = lower.charAt(0);
            String[] same = wordsByFirst[first];
            String[] grown = same == null ? new String[1] : Arrays.copyOf(same, same.length + 1);
            grown[grown.length - 1] = lower;
            wordsByFirst[first] = grown;
            int start = first * 128 + lower.charAt(1);
            starts[start >>> 6] |= 1L << start;
        }
        long[] single = Inputs.maskOf(singles.toString());
        singleLow = single[0];
        singleHigh = single[1];
        hasWords = !words.isEmpty();
    }

    /** The requirement of a built-in rule, or {@link #NONE} for an operator's (ids never clash). */
    static Requirement of(String ruleId) {
        BuiltInWafRules.Requirement requirement = BuiltInWafRules.REQUIRES.get(ruleId);
        return requirement == null ? NONE : new Requirement(requirement.characterSets(), requirement.anyOf());
    }

    /** Whether value {@code index} of {@code inputs} meets this requirement. */
    boolean metBy(Inputs inputs, int index) {
        for (int i = 0; i < low.length; i++) {
            if (!inputs.holdsOne(index, low[i], high[i])) {
                return false;
            }
        }
        return !hasWords || inputs.holdsOne(index, singleLow, singleHigh) || holdsWord(inputs.get(index));
    }

    private boolean holdsWord(String value) {
        int end = value.length() - 1;
        for (int i = 0; i < end; i++) {
            int first = lower(value.charAt(i));
            int second = lower(value.charAt(i + 1));
            if (first >= 128 || second >= 128) {
                continue;
            }
            int start = first * 128 + second;
            if ((starts[start >>> 6] & (1L << start)) == 0) {
                continue;
            }
            for (String word : wordsByFirst[first]) {
                if (startsAt(value, i, word)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code value} holds {@code word} (lower case, its first two characters matched) at {@code at}. */
    private static boolean startsAt(String value, int at, String word) {
        if (at + word.length() > value.length()) {
            return false;
        }
        for (int j = 2; j < word.length(); j++) {
            if (lower(value.charAt(at + j)) != word.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static int lower(char c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
