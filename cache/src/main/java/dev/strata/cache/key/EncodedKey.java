package dev.strata.cache.key;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The key of an encoded variant: a stored response — a URL's one response, or one of its {@code
 * Vary} variants — in a content coding ({@code br}, {@code gzip}; RFC 9110 §8.4.1), kept beside it
 * so that it is compressed once, not per request.
 *
 * <p>On disk it lives under the key of the response it encodes followed by {@code ~} and the
 * coding: for a URL's one response {@code key NUL ~ coding}, for a variant {@code key NUL
 * SHA-256 ~ coding}. Both start with the URL's key bytes and a NUL, like its {@link VaryKey}
 * variants, so invalidating the URL removes its encoded variants in the same bounded scan
 * (docs/adr/0004-variants-on-disk.md); neither can be taken for a variant, whose keys are exactly
 * 33 bytes longer than the URL's, nor for each other.
 *
 * @param primary the URL's key
 * @param variant the variant the encoded response is stored under, or null for a URL that does not
 *     vary
 * @param coding the content-coding token: lower case, at most 16 letters, digits or {@code -}
 */
public record EncodedKey(CacheKey primary, @Nullable VaryKey variant, String coding) {
    private static final Pattern CODING = Pattern.compile("[a-z0-9-]{1,16}");

    public EncodedKey {
        requireNonNull(primary, "primary");
        requireNonNull(coding, "coding");
        if (!CODING.matcher(coding).matches()) {
            throw new IllegalArgumentException("coding: \"" + coding + "\" (expected: a lower-case token, e.g. br)");
        }
        if (variant != null && !variant.primary().equals(primary)) {
            throw new IllegalArgumentException("variant: " + variant + " (expected: a variant of " + primary + ")");
        }
    }

    /** The encoded form of a URL's one response. */
    public static EncodedKey of(CacheKey key, String coding) {
        return new EncodedKey(key, null, coding);
    }

    /** The encoded form of one of a URL's variants. */
    public static EncodedKey of(VaryKey variant, String coding) {
        return new EncodedKey(variant.primary(), variant, coding);
    }

    /** The key on disk, as described above. */
    public byte[] toBytes() {
        byte[] base = variant == null ? VaryKey.variantPrefix(primary) : variant.toBytes();
        byte[] suffix = ("~" + coding).getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[base.length + suffix.length];
        System.arraycopy(base, 0, bytes, 0, base.length);
        System.arraycopy(suffix, 0, bytes, base.length, suffix.length);
        return bytes;
    }

    @Override
    public String toString() {
        return (variant == null ? primary.toString() : variant.toString()) + " ~" + coding;
    }
}
