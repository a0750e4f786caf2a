package dev.strata.proxy.compress;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.CompressionConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which responses an edge compresses, and how hard: {@code edge.compression} made ready for the
 * request path. Immutable and thread-safe; one per configuration (a reload makes a new one, and
 * what was derived from the old one is derived again).
 *
 * <p>A response is <em>negotiable</em> ({@link #isNegotiable}) when its {@code Content-Type} is one
 * of {@link CompressionConfig#types()}, it has no {@code Content-Encoding} (an upstream's own
 * encoding is relayed as it is, never decoded) and no {@code Cache-Control: no-transform} (RFC 9111
 * §5.2.2.6). Whether a negotiable response is compressed then depends on its status (200 only),
 * the size of its body and the request ({@code Accept-Encoding}, ranges); those are the caller's.
 */
public final class CompressionPolicy {
    private final CompressionConfig config;
    private final Set<String> exact = new HashSet<>();
    private final Set<String> anySubtype = new HashSet<>();
    /** {@code type/+suffix} for the patterns {@code type/*+suffix}. */
    private final List<String[]> suffixes = new ArrayList<>();

    private CompressionPolicy(CompressionConfig config) {
        this.config = config;
        for (String type : config.types()) {
            int slash = type.indexOf('/');
            String subtype = type.substring(slash + 1);
            if (subtype.equals("*")) {
                anySubtype.add(type.substring(0, slash));
            } else if (subtype.startsWith("*+")) {
                suffixes.add(new String[] {type.substring(0, slash), subtype.substring(1)});
            } else {
                exact.add(type);
            }
        }
    }

    /** The policy {@code config} describes. */
    public static CompressionPolicy of(CompressionConfig config) {
        return new CompressionPolicy(requireNonNull(config, "config"));
    }

    /** A policy that compresses nothing (a shield, or an edge with {@code compression.enabled: false}). */
    public static CompressionPolicy off() {
        return of(CompressionConfig.defaults().withEnabled(false));
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The configuration it was made from. */
    public CompressionConfig config() {
        return config;
    }

    /** Whether a body of {@code length} bytes is within {@code min-size} and {@code max-size}. */
    public boolean sizeFits(long length) {
        return length >= config.minSize().bytes() && length <= config.maxSize().bytes();
    }

    public int brotliQuality() {
        return config.brotliQuality();
    }

    public int gzipLevel() {
        return config.gzipLevel();
    }

    /**
     * Whether a {@code Content-Type} value names a compressible type: its media type (parameters
     * dropped, case ignored) matches one of the configured patterns. Null or empty: no.
     */
    public boolean isCompressibleType(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1) {
            return false;
        }
        if (exact.contains(mediaType) || anySubtype.contains(mediaType.substring(0, slash))) {
            return true;
        }
        for (String[] suffix : suffixes) {
            if (mediaType.startsWith(suffix[0])
                    && mediaType.charAt(suffix[0].length()) == '/'
                    && mediaType.endsWith(suffix[1])
                    && mediaType.length() > suffix[0].length() + suffix[1].length() + 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a response with these header fields may be sent in a content coding of the edge's
     * choosing: enabled, a compressible type, no {@code Content-Encoding}, no {@code no-transform}.
     */
    public boolean isNegotiable(HeaderList headers) {
        if (!config.enabled() || !isCompressibleType(headers.first("Content-Type"))) {
            return false;
        }
        for (HeaderList.Field field : headers.fields()) {
            String name = field.name();
            if (name.equalsIgnoreCase("Content-Encoding") && !field.value().isBlank()) {
                return false;
            }
            if (name.equalsIgnoreCase("Cache-Control") && hasNoTransform(field.value())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a {@code Cache-Control} field value holds the {@code no-transform} directive. */
    public static boolean hasNoTransform(String cacheControl) {
        for (String directive : cacheControl.split(",", -1)) {
            String name = directive.trim();
            int equals = name.indexOf('=');
            if ((equals < 0 ? name : name.substring(0, equals).trim()).equalsIgnoreCase("no-transform")) {
                return true;
            }
        }
        return false;
    }
}
