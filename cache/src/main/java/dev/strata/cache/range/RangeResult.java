package dev.strata.cache.range;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import dev.strata.cache.fresh.HttpDates;
import dev.strata.cache.store.Body;
import dev.strata.cache.store.CachedResponse;
import dev.strata.cache.store.HeaderList;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * How a complete representation answers a request that may carry {@code Range} (RFC 9110 §14.2):
 * whole, one part, several parts, or not at all.
 *
 * <p>{@link #decide} answers from a complete response (the proxy's stored or just-filled one):
 *
 * <ol>
 *   <li>{@link Full} unless the response is a 200 and the request has exactly one {@code Range}
 *       field;
 *   <li>{@link Full} when {@code If-Range} (§13.1.5) is present and does not match: an entity tag
 *       must equal the response's {@code ETag} by strong comparison (a weak tag on either side never
 *       matches); a date must equal the response's {@code Last-Modified} exactly and be a strong
 *       validator, which for a cache comparing with its stored entry means a {@code Date} at least
 *       60 seconds later (§8.8.2.2); anything else, or the field repeated, does not match;
 *   <li>then {@link #select}: {@link Full} for a {@code Range} that is not a valid {@code bytes}
 *       ranges-specifier or has more than {@link RangeHeader#MAX_RANGES} specs, {@link
 *       Unsatisfiable} (416) when no spec is satisfiable, {@link Single} for one satisfiable range,
 *       and {@link Multipart} for several — unless they add up to more than the representation
 *       (overlapping ranges, a known amplification attack §14.2 lets a server ignore), which is
 *       {@link Full} again. Ranges are answered in request order and never coalesced.
 * </ol>
 *
 * <p>Which methods ranges apply to is the caller's call (§14.2 defines them for GET only). Results
 * are immutable records; the static methods are pure and thread-safe, cheap enough for an I/O
 * thread (no body is read or copied).
 */
public sealed interface RangeResult
        permits RangeResult.Full, RangeResult.Single, RangeResult.Multipart, RangeResult.Unsatisfiable {
    /** Answer 200 with the whole representation: no {@code Range}, or one to ignore. */
    record Full() implements RangeResult {}

    /**
     * Answer 206 with one range and {@code Content-Range}.
     *
     * @param range the range, within the representation
     * @param completeLength the length of the whole representation in bytes
     */
    record Single(ByteRange range, long completeLength) implements RangeResult {
        public Single {
            requireNonNull(range, "range");
            if (range.last() >= completeLength) {
                throw new IllegalArgumentException(
                        "range: " + range + " (expected: within a length of " + completeLength + ")");
            }
        }

        /** The {@code Content-Range} value, {@code bytes first-last/completeLength}. */
        public String contentRange() {
            return range.contentRange(completeLength);
        }

        /** The part of {@code complete} (the whole representation) to send, without copying. */
        public ByteBuffer body(Body complete) {
            return complete.view(range.first(), range.length());
        }
    }

    /**
     * Answer 206 with a {@code multipart/byteranges} body (§14.6): for each range, a delimiter line,
     * the part's {@code Content-Type} (when the representation has one) and {@code Content-Range},
     * then its bytes; the closing delimiter last.
     *
     * @param ranges two or more ranges within the representation, in request order
     * @param completeLength the length of the whole representation in bytes
     * @param partContentType the representation's {@code Content-Type}, or null when it has none
     * @param boundary the multipart boundary: at most 70 characters of {@code bchars} (RFC 2046 §5.1.1)
     */
    record Multipart(List<ByteRange> ranges, long completeLength, @Nullable String partContentType, String boundary)
            implements RangeResult {
        public Multipart {
            ranges = List.copyOf(ranges);
            requireNonNull(boundary, "boundary");
            if (ranges.size() < 2) {
                throw new IllegalArgumentException("ranges: " + ranges + " (expected: at least two)");
            }
            for (ByteRange range : ranges) {
                if (range.last() >= completeLength) {
                    throw new IllegalArgumentException(
                            "range: " + range + " (expected: within a length of " + completeLength + ")");
                }
            }
            if (boundary.isEmpty() || boundary.length() > 70) {
                throw new IllegalArgumentException("boundary: \"" + boundary + "\" (expected: 1 to 70 characters)");
            }
        }

        /** The response's {@code Content-Type}: {@code multipart/byteranges; boundary=…}. */
        public String contentType() {
            return "multipart/byteranges; boundary=" + boundary;
        }

        /**
         * What precedes the bytes of part {@code index}: the line break ending the previous part
         * (none before the first), the delimiter line and the part's header fields.
         */
        public byte[] partHeader(int index) {
            ByteRange range = ranges.get(index);
            return ((index == 0 ? "" : "\r\n")
                            + "--" + boundary + "\r\n"
                            + (partContentType == null ? "" : "Content-Type: " + partContentType + "\r\n")
                            + "Content-Range: " + range.contentRange(completeLength) + "\r\n\r\n")
                    .getBytes(US_ASCII);
        }

        /** The closing delimiter that ends the body. */
        public byte[] closing() {
            return ("\r\n--" + boundary + "--\r\n").getBytes(US_ASCII);
        }

        /** The number of bytes in the whole multipart body, for {@code Content-Length}. */
        public long contentLength() {
            long length = closing().length;
            for (int i = 0; i < ranges.size(); i++) {
                length += partHeader(i).length + ranges.get(i).length();
            }
            return length;
        }

        /**
         * The multipart body over {@code complete} (the whole representation), in order: the parts'
         * bytes are views of it, not copies.
         */
        public ByteBuffer[] body(Body complete) {
            ByteBuffer[] buffers = new ByteBuffer[2 * ranges.size() + 1];
            for (int i = 0; i < ranges.size(); i++) {
                ByteRange range = ranges.get(i);
                buffers[2 * i] = ByteBuffer.wrap(partHeader(i));
                buffers[2 * i + 1] = complete.view(range.first(), range.length());
            }
            buffers[buffers.length - 1] = ByteBuffer.wrap(closing());
            return buffers;
        }
    }

    /**
     * Answer 416 with {@code Content-Range: bytes *}{@code /completeLength}: no range is satisfiable.
     *
     * @param completeLength the length of the whole representation in bytes
     */
    record Unsatisfiable(long completeLength) implements RangeResult {
        /** The {@code Content-Range} value, {@code bytes *}{@code /completeLength} (§14.4). */
        public String contentRange() {
            return "bytes */" + completeLength;
        }
    }

    /**
     * Decides how {@code stored}, a complete stored response, answers {@code request}.
     *
     * @param request the client's request header fields ({@code Range}, {@code If-Range})
     * @param stored the response the cache would otherwise send whole
     */
    static RangeResult decide(HeaderList request, CachedResponse stored) {
        return decide(request, stored.status(), stored.headers(), stored.body().length());
    }

    /**
     * Decides how a complete response answers {@code request}.
     *
     * @param request the client's request header fields ({@code Range}, {@code If-Range})
     * @param status the response's status; only 200 is ever answered in part
     * @param response the response's header fields ({@code ETag}, {@code Last-Modified}, {@code
     *     Date}, {@code Content-Type})
     * @param length the length of the complete body in bytes
     */
    static RangeResult decide(HeaderList request, int status, HeaderList response, long length) {
        if (status != 200) {
            return new Full();
        }
        List<String> range = request.all("Range");
        if (range.size() != 1 || !ifRangeMatches(request.all("If-Range"), response)) {
            return new Full();
        }
        return select(range.get(0), length, response.first("Content-Type"), boundary(response, length));
    }

    /**
     * Selects the answer to a {@code Range} value, {@code If-Range} already checked by the caller
     * (see the steps above).
     *
     * @param range the {@code Range} field value
     * @param length the length of the complete representation in bytes
     * @param partContentType the representation's {@code Content-Type}, or null without one
     * @param boundary the boundary should the answer be multipart
     */
    static RangeResult select(String range, long length, @Nullable String partContentType, String boundary) {
        Optional<List<RangeHeader.Spec>> specs = RangeHeader.parse(range);
        if (specs.isEmpty()) {
            return new Full();
        }
        List<ByteRange> ranges = RangeHeader.resolve(specs.get(), length);
        if (ranges.isEmpty()) {
            return new Unsatisfiable(length);
        }
        if (ranges.size() == 1) {
            return new Single(ranges.get(0), length);
        }
        long total = 0;
        for (ByteRange each : ranges) {
            total += each.length(); // at most 64 lengths each within a long-sized length: no overflow
            if (total > length) {
                return new Full();
            }
        }
        return new Multipart(ranges, length, partContentType, boundary);
    }

    /** Whether {@code If-Range} (all its field lines) lets a range be answered (§13.1.5). */
    private static boolean ifRangeMatches(List<String> ifRange, HeaderList response) {
        if (ifRange.isEmpty()) {
            return true;
        }
        if (ifRange.size() != 1) {
            return false;
        }
        String value = ifRange.get(0).trim();
        if (value.startsWith("W/")) {
            return false; // strong comparison: a weak tag never matches
        }
        if (value.startsWith("\"")) {
            @Nullable String etag = response.first("ETag");
            return isStrongTag(value) && etag != null && etag.trim().equals(value);
        }
        OptionalLong date = HttpDates.parse(value);
        OptionalLong lastModified = parsedDate(response.first("Last-Modified"));
        OptionalLong responseDate = parsedDate(response.first("Date"));
        return date.isPresent()
                && lastModified.isPresent()
                && date.getAsLong() == lastModified.getAsLong()
                && responseDate.isPresent()
                && responseDate.getAsLong() - lastModified.getAsLong() >= 60_000;
    }

    private static OptionalLong parsedDate(@Nullable String value) {
        return value == null ? OptionalLong.empty() : HttpDates.parse(value);
    }

    /** {@code "opaque"}: quoted, and only {@code etagc} characters inside (RFC 9110 §8.8.3). */
    private static boolean isStrongTag(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (!(c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A boundary that is the same for every request answered from the same representation (so the
     * same request gets the same bytes), derived from its validators and length: {@code strata-}
     * and 16 hex digits of a 64-bit FNV-1a hash. Only a body crafted to contain it would break its
     * own multipart answers.
     */
    private static String boundary(HeaderList response, long length) {
        long hash = 0xcbf29ce484222325L;
        String seed = response.first("ETag") + "|" + response.first("Last-Modified") + "|" + response.first("Date")
                + "|" + length;
        for (int i = 0; i < seed.length(); i++) {
            hash ^= seed.charAt(i);
            hash *= 0x100000001b3L;
        }
        return "strata-" + HexFormat.of().toHexDigits(hash);
    }
}
