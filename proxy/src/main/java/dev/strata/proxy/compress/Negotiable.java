package dev.strata.proxy.compress;

import dev.strata.cache.store.HeaderList;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The header fields of a negotiable response ({@link CompressionPolicy#isNegotiable}) as sent in
 * each content coding, made once per stored response rather than per request.
 *
 * <ul>
 *   <li>Every form says {@code Vary: Accept-Encoding}, merged into the response's own {@code Vary}
 *       (one field line), the identity too: the choice depends on the request, and a cache
 *       downstream must not give one client's encoding to another (RFC 9110 §12.5.5).
 *   <li>An encoded form adds {@code Content-Encoding}, and its {@code ETag} gets the coding as a
 *       suffix inside the quotes ({@code "v1"} becomes {@code "v1-br"}, {@code W/"v1"} becomes
 *       {@code W/"v1-br"}): a different representation has a different tag, of the same strength,
 *       so {@code If-None-Match} works for each form on its own (RFC 9110 §8.8.3). It drops what
 *       describes the identity's bytes: {@code Accept-Ranges} (ranges are served from the identity),
 *       {@code Content-MD5}, {@code Digest}, {@code Content-Digest}, {@code Repr-Digest}; an {@code
 *       ETag} that is not a valid entity-tag is dropped too.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class Negotiable {
    private static final Set<String> IDENTITY_BYTES = caseInsensitive(
            List.of("Accept-Ranges", "Content-MD5", "Digest", "Content-Digest", "Repr-Digest", "Content-Encoding"));

    private final HeaderList identity;
    private final Map<ContentCoding, HeaderList> encoded = new EnumMap<>(ContentCoding.class);

    private Negotiable(HeaderList headers) {
        this.identity = withVary(headers);
        for (ContentCoding coding : ContentCoding.values()) {
            encoded.put(coding, encode(identity, coding));
        }
    }

    /** The forms of a response with {@code headers}, or null when {@code policy} does not negotiate it. */
    public static @Nullable Negotiable of(HeaderList headers, CompressionPolicy policy) {
        return policy.isNegotiable(headers) ? new Negotiable(headers) : null;
    }

    /** The fields of the identity: the response's own, with {@code Vary: Accept-Encoding}. */
    public HeaderList identity() {
        return identity;
    }

    /** The fields of the response in {@code coding}. */
    public HeaderList encoded(ContentCoding coding) {
        HeaderList fields = encoded.get(coding);
        if (fields == null) {
            throw new IllegalStateException("no fields for " + coding); // every coding is made up front
        }
        return fields;
    }

    /**
     * {@code headers} (of any response the edge negotiates, stored or not) in {@code coding}; what
     * {@link #encoded} holds ready for a stored one.
     */
    public static HeaderList encoded(HeaderList headers, ContentCoding coding) {
        return encode(withVary(headers), coding);
    }

    /** {@code headers} with {@code Vary: Accept-Encoding}; unchanged when they vary on it or on {@code *}. */
    public static HeaderList withVary(HeaderList headers) {
        List<String> vary = headers.all("Vary");
        List<String> members = new ArrayList<>();
        for (String line : vary) {
            for (String member : line.split(",", -1)) {
                String name = member.trim();
                if (name.equals("*") || name.equalsIgnoreCase("Accept-Encoding")) {
                    return headers;
                }
                if (!name.isEmpty()) {
                    members.add(name);
                }
            }
        }
        members.add("Accept-Encoding");
        String merged = String.join(", ", members);
        List<HeaderList.Field> fields = new ArrayList<>(headers.fields().size() + 1);
        boolean placed = false;
        for (HeaderList.Field field : headers.fields()) {
            if (!field.name().equalsIgnoreCase("Vary")) {
                fields.add(field);
            } else if (!placed) {
                fields.add(new HeaderList.Field(field.name(), merged));
                placed = true;
            }
        }
        if (!placed) {
            fields.add(new HeaderList.Field("Vary", merged));
        }
        return new HeaderList(fields);
    }

    private static HeaderList encode(HeaderList varying, ContentCoding coding) {
        List<HeaderList.Field> fields = new ArrayList<>(varying.fields().size() + 1);
        for (HeaderList.Field field : varying.fields()) {
            if (IDENTITY_BYTES.contains(field.name())) {
                continue;
            }
            if (field.name().equalsIgnoreCase("ETag")) {
                String tag = suffixed(field.value(), coding);
                if (tag != null) {
                    fields.add(new HeaderList.Field(field.name(), tag));
                }
                continue;
            }
            fields.add(field);
        }
        fields.add(new HeaderList.Field("Content-Encoding", coding.token()));
        return new HeaderList(fields);
    }

    /** {@code "tag"} as {@code "tag-CODING"} (weakness kept), or null when it is not an entity-tag. */
    static @Nullable String suffixed(String etag, ContentCoding coding) {
        String tag = etag.trim();
        boolean weak = tag.regionMatches(false, 0, "W/", 0, 2);
        String opaque = weak ? tag.substring(2) : tag;
        if (opaque.length() < 2
                || opaque.charAt(0) != '"'
                || opaque.charAt(opaque.length() - 1) != '"'
                || opaque.indexOf('"', 1) != opaque.length() - 1) {
            return null;
        }
        return (weak ? "W/" : "") + opaque.substring(0, opaque.length() - 1) + "-" + coding.token() + '"';
    }

    private static Set<String> caseInsensitive(List<String> names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            set.add(name.toLowerCase(Locale.ROOT));
        }
        return set;
    }
}
