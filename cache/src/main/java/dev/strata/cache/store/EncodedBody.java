package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * A stored response's body in a content coding (an encoded variant, under a {@link
 * dev.strata.cache.key.EncodedKey}), with the length and CRC32C of the body it was made from.
 *
 * <p>The response it encodes is looked up as usual — freshness, purges and validation are its
 * business — and an encoded variant is used only while it {@linkplain #isEncodingOf encodes} the
 * body found: a refill with other content makes the old one useless at once (it is compressed
 * again and replaced), while a refresh by a 304, which keeps the body, keeps it too. Checking costs
 * a CRC32C of the source body only the first time a given body object is met; later checks of that
 * object compare one reference.
 *
 * <p>Immutable but for that remembered reference (racy, and safe: it only ever names a body that
 * matched). The encoded bytes are shared, never copied by readers and never changed.
 */
public final class EncodedBody {
    private final String coding;
    private final long sourceLength;
    private final int sourceCrc;
    private final Body body;
    /** The source body object last found to match; weak, so an evicted response is not kept alive. */
    private volatile @Nullable WeakReference<Object> verified;

    /**
     * @param coding the content coding, such as {@code br}
     * @param sourceLength the length of the body it encodes
     * @param sourceCrc the CRC32C of that body
     * @param body the encoded bytes
     */
    public EncodedBody(String coding, long sourceLength, int sourceCrc, byte[] body) {
        this(coding, sourceLength, sourceCrc, Body.of(body));
    }

    private EncodedBody(String coding, long sourceLength, int sourceCrc, Body body) {
        this.coding = requireNonNull(coding, "coding");
        this.body = requireNonNull(body, "body");
        if (sourceLength < 0) {
            throw new IllegalArgumentException("sourceLength: " + sourceLength + " (expected: >= 0)");
        }
        this.sourceLength = sourceLength;
        this.sourceCrc = sourceCrc;
    }

    /** {@code encoded}, the body of {@code source} in {@code coding}. Reads all of {@code source}'s body. */
    public static EncodedBody of(String coding, CachedResponse source, byte[] encoded) {
        Body sourceBody = source.body();
        EncodedBody made = new EncodedBody(coding, sourceBody.length(), sourceBody.crc32c(), encoded);
        made.verified = new WeakReference<>(sourceBody);
        return made;
    }

    /**
     * Whether this is the encoding of {@code source}'s body: same length and CRC32C. Cheap for a body
     * checked before (a memory hit), one CRC32C pass for another (say one just read from disk).
     */
    public boolean isEncodingOf(CachedResponse source) {
        Body sourceBody = source.body();
        if (sourceBody.length() != sourceLength) {
            return false;
        }
        WeakReference<Object> last = verified;
        if (last != null && last.get() == sourceBody) {
            return true;
        }
        if (sourceBody.crc32c() != sourceCrc) {
            return false;
        }
        verified = new WeakReference<>(sourceBody);
        return true;
    }

    public String coding() {
        return coding;
    }

    public long sourceLength() {
        return sourceLength;
    }

    public int sourceCrc() {
        return sourceCrc;
    }

    /** The encoded bytes: shared, read through views ({@link Body#view}). */
    public Body body() {
        return body;
    }

    /**
     * This variant with its bytes in direct memory, as the memory tier keeps them (see {@link
     * CachedResponse#withDirectBody}): itself when they already are there.
     *
     * @throws OutOfMemoryError when the JVM's direct memory is exhausted
     */
    public EncodedBody withDirectBody() {
        Body direct = body.toDirect();
        if (direct == body) {
            return this;
        }
        EncodedBody moved = new EncodedBody(coding, sourceLength, sourceCrc, direct);
        moved.verified = verified;
        return moved;
    }

    /** Approximate bytes in memory, for weighing in the memory tier. */
    public long weight() {
        return 96L + body.length();
    }

    @Override
    public String toString() {
        return "EncodedBody[" + coding + ", " + body.length() + " bytes of " + sourceLength + "]";
    }
}
