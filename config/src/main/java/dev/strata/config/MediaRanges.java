package dev.strata.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The media-type patterns of {@code edge.compression.types}: {@code type/subtype}, {@code type/*}
 * or {@code type/*+suffix}, in lower case (media types compare case-insensitively, RFC 9110 §8.3.1).
 */
final class MediaRanges {
    /** RFC 9110 §5.6.2 token characters but {@code *}, lower case. */
    private static final String TOKEN = "[a-z0-9!#$%&'+.^_`|~-]+";

    private static final Pattern RANGE = Pattern.compile(TOKEN + "/(" + TOKEN + "|\\*|\\*\\+" + TOKEN + ")");

    private MediaRanges() {}

    /** Whether {@code text} is a pattern as written in the model: lower case, no parameters. */
    static boolean isValid(String text) {
        return text.length() <= 255 && RANGE.matcher(text).matches();
    }

    /**
     * A pattern as written in a file, lower-cased.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    static String parse(String text) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        if (!isValid(lower)) {
            throw new IllegalArgumentException(Scalars.quote(text)
                    + " is not a media type (expected: type/subtype, type/* or type/*+suffix, e.g. text/* or"
                    + " application/*+json)");
        }
        return lower;
    }
}
