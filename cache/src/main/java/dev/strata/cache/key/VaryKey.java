package dev.strata.cache.key;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The secondary key of one variant of a URL (RFC 9111 §4.1): the URL's {@link CacheKey} plus the
 * normalized values of the request fields the response nominated in {@code Vary}.
 *
 * <p>Normalization, so that requests an origin cannot tell apart share a variant: field names are
 * lower-cased, sorted and distinct; values of repeated field lines are joined with commas,
 * whitespace runs collapse to one space and list elements are trimmed, empty ones dropped. {@code
 * Accept-*} fields lose the whitespace around {@code ;} and {@code =}, and {@code Accept-Language}
 * and {@code Accept-Charset} are lower-cased (their tokens are case-insensitive). {@code
 * Accept-Encoding} codings are case-insensitive and unordered (RFC 9110 §12.5.3): they are
 * lower-cased, {@code q=1} is dropped, other q-values lose trailing zeros, named codings with {@code
 * q=0} (not acceptable) are dropped — {@code identity;q=0} and {@code *;q=0} stay, since they change
 * what is acceptable — and the rest is sorted with duplicates removed, so {@code br, gzip}
 * and {@code GZIP,br;q=1.0} select the same variant. A field the request does not carry is
 * distinct from one that is present and empty.
 *
 * <p>A variant is {@code name=value} (or {@code name} alone when absent) per nominated field, one
 * per line. On disk a variant lives at {@link #toBytes()}: the URL's key bytes, a NUL, then the
 * SHA-256 of the variant; {@link CacheKey} never contains a NUL, so the URL's entries, variants
 * included, are exactly the keys starting with its bytes followed by a NUL or ending there, and
 * request values (cookies, credentials) never appear in a disk key.
 *
 * @param primary the URL's key
 * @param fieldNames the nominated request fields: lower case, sorted, distinct, not empty, not
 *     {@code *}
 * @param variant the normalized request values, as described above
 */
public record VaryKey(CacheKey primary, List<String> fieldNames, String variant) {
    /** The {@code Vary} member that matches every request: a response with it is never reused. */
    public static final String ANY = "*";

    private static final Set<String> CASE_INSENSITIVE_VALUES = Set.of("accept-language", "accept-charset");

    public VaryKey {
        requireNonNull(primary, "primary");
        requireNonNull(variant, "variant");
        fieldNames = List.copyOf(fieldNames);
        if (fieldNames.isEmpty()) {
            throw new IllegalArgumentException("fieldNames: [] (expected: at least one field)");
        }
        for (int i = 0; i < fieldNames.size(); i++) {
            String name = fieldNames.get(i);
            if (name.isEmpty()
                    || name.equals(ANY)
                    || !name.equals(name.toLowerCase(Locale.ROOT))
                    || (i > 0 && fieldNames.get(i - 1).compareTo(name) >= 0)) {
                throw new IllegalArgumentException(
                        "fieldNames: " + fieldNames + " (expected: lower case, sorted, distinct, not *)");
            }
        }
    }

    /**
     * The request fields named by a response's {@code Vary} field lines: lower-cased, sorted and
     * distinct; {@code [*]} when any member is {@code *}; empty when there are none (no {@code Vary},
     * or only empty members).
     */
    public static List<String> fieldNames(List<String> varyValues) {
        TreeSet<String> names = new TreeSet<>();
        for (String value : varyValues) {
            for (String member : value.split(",", -1)) {
                String name = member.trim().toLowerCase(Locale.ROOT);
                if (name.equals(ANY)) {
                    return List.of(ANY);
                }
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return List.copyOf(names);
    }

    /** Whether {@code fieldNames} (from {@link #fieldNames(List)}) holds {@code *}. */
    public static boolean isAny(List<String> fieldNames) {
        return fieldNames.contains(ANY);
    }

    /**
     * The key of the variant a request selects.
     *
     * @param primary the URL's key
     * @param fieldNames the nominated fields, as {@link #fieldNames(List)} gives them
     * @param requestFields every value of a request field by lower-case name, in order; empty when
     *     the request does not carry it
     */
    public static VaryKey of(CacheKey primary, List<String> fieldNames, Function<String, List<String>> requestFields) {
        StringBuilder variant = new StringBuilder();
        for (String name : fieldNames) {
            if (variant.length() > 0) {
                variant.append('\n');
            }
            variant.append(name);
            List<String> values = requestFields.apply(name);
            if (!values.isEmpty()) {
                variant.append('=').append(normalize(name, values));
            }
        }
        return new VaryKey(primary, fieldNames, variant.toString());
    }

    /**
     * The normalized value of a present request field.
     *
     * @param fieldName the lower-case field name
     * @param values the field's values in order (one per field line); not empty
     */
    public static String normalize(String fieldName, List<String> values) {
        boolean accept = fieldName.startsWith("accept");
        List<String> elements = new ArrayList<>();
        for (String element : String.join(",", values).split(",", -1)) {
            String normalized = collapseWhitespace(element);
            if (accept) {
                normalized = normalized
                        .replace(" ;", ";")
                        .replace("; ", ";")
                        .replace(" =", "=")
                        .replace("= ", "=");
            }
            if (!normalized.isEmpty()) {
                elements.add(normalized);
            }
        }
        if (fieldName.equals("accept-encoding")) {
            return acceptEncoding(elements);
        }
        String joined = String.join(",", elements);
        return CASE_INSENSITIVE_VALUES.contains(fieldName) ? joined.toLowerCase(Locale.ROOT) : joined;
    }

    private static String acceptEncoding(List<String> elements) {
        TreeSet<String> codings = new TreeSet<>();
        for (String element : elements) {
            String[] parts = element.toLowerCase(Locale.ROOT).split(";", -1);
            StringBuilder coding = new StringBuilder(parts[0]);
            boolean acceptable = true;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i];
                if (parameter.isEmpty()) {
                    continue;
                }
                if (parameter.startsWith("q=")) {
                    BigDecimal q = qvalue(parameter.substring(2));
                    // A refused named coding is as good as absent; refusing identity or * changes
                    // what is acceptable (RFC 9110 §12.5.3), so those stay in the key.
                    if (q != null && q.signum() == 0 && !parts[0].equals("identity") && !parts[0].equals("*")) {
                        acceptable = false;
                        break;
                    }
                    if (q != null && q.compareTo(BigDecimal.ONE) == 0) {
                        continue;
                    }
                    parameter = q == null
                            ? parameter
                            : "q=" + q.stripTrailingZeros().toPlainString();
                }
                coding.append(';').append(parameter);
            }
            if (acceptable) {
                codings.add(coding.toString());
            }
        }
        return String.join(",", codings);
    }

    /** A q-value (RFC 9110 §12.4.2), or null when it is not one (kept as written). */
    private static @Nullable BigDecimal qvalue(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.') {
                return null;
            }
        }
        try {
            BigDecimal q = new BigDecimal(text);
            return q.compareTo(BigDecimal.ONE) > 0 ? null : q;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The variant's key on disk: the primary key's bytes ({@link CacheKey#toBytes()}), a NUL, then
     * the 32-byte SHA-256 of {@link #variant()} in UTF-8.
     */
    public byte[] toBytes() {
        byte[] prefix = primary.toBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(prefix.length + 33);
        bytes.writeBytes(prefix);
        bytes.write(0);
        bytes.writeBytes(sha256(variant.getBytes(StandardCharsets.UTF_8)));
        return bytes.toByteArray();
    }

    /** The bytes every disk key of {@code primary}'s variants starts with: its key bytes and a NUL. */
    public static byte[] variantPrefix(CacheKey primary) {
        byte[] key = primary.toBytes();
        byte[] prefix = new byte[key.length + 1];
        System.arraycopy(key, 0, prefix, 0, key.length);
        return prefix;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing (every JDK has it)", e);
        }
    }

    @Override
    public String toString() {
        return primary + " [" + variant.replace('\n', ';') + "]";
    }
}
