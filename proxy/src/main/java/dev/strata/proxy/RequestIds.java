package dev.strata.proxy;

import dev.strata.cache.store.HeaderList;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids ({@code X-Request-Id}): one per request, kept from the client (or the edge in front)
 * when it is a valid id, otherwise made here; returned on every response and sent on every
 * request upstream, so one id names a request on the edge, the shield and the origin.
 *
 * <p>A valid id is 1 to {@value #MAX_LENGTH} characters of letters, digits and {@code - _ . : + /
 * = @}: UUIDs, ULIDs, base64 and the ids of common load balancers pass; spaces, quotes, commas and
 * control characters do not, so an id can go into a log line or a header list as it is. Made ids
 * are 32 lowercase hex digits (128 bits, as nginx's {@code $request_id}) from {@link
 * ThreadLocalRandom}: unique enough to correlate, cheap on an I/O thread, not secret.
 */
final class RequestIds {
    /** The field's name. */
    static final String FIELD = "X-Request-Id";

    static final HttpString HEADER = new HttpString(FIELD);

    /** The longest id accepted. */
    static final int MAX_LENGTH = 128;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestIds() {}

    /** A new random id of 32 lowercase hex digits. */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] id = new byte[32]; // Latin-1, as the String keeps it: no char[] to compress
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
            id[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code id} may be kept as it is (see the class comment). */
    static boolean isValid(String id) {
        int length = id.length();
        if (length < 1 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == ':'
                    || c == '+'
                    || c == '/'
                    || c == '='
                    || c == '@';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code headers} with {@code id} as their only {@code X-Request-Id} (a client's is replaced). */
    static HeaderList onto(HeaderList headers, String id) {
        return headers.without(Set.of(FIELD)).plus(HeaderList.of(FIELD, id));
    }
}
