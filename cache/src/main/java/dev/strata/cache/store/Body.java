package dev.strata.cache.store;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * A stored response's complete body: immutable bytes shared by every request that reads them,
 * on the heap or in direct (native) memory.
 *
 * <p>Readers never share a buffer's position: each gets its own read-only {@link #view}, so many
 * I/O threads can write one body at once. A body in direct memory is written to a socket as it is;
 * the JDK copies a heap body into a temporary direct buffer on every write first, which is why the
 * memory tier keeps its bodies {@link #toDirect direct}. Direct memory is released by the garbage
 * collector once no response refers to it (the JDK's cleaner), never explicitly: a request may
 * still be writing a body that the tier has just evicted.
 */
public final class Body {
    private static final Body EMPTY = of(new byte[0]);

    /** The bytes, read-only, position 0; never handed out, only duplicated. */
    private final ByteBuffer bytes;

    /** The array under {@link #bytes} for a heap body (read-only buffers hide it), else null. */
    private final byte @Nullable [] array;

    private Body(ByteBuffer bytes, byte @Nullable [] array) {
        this.bytes = bytes;
        this.array = array;
    }

    /** A body of no bytes. */
    public static Body empty() {
        return EMPTY;
    }

    /** A body over {@code bytes}, which the caller must not change afterwards (not copied). */
    public static Body of(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        return new Body(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), bytes);
    }

    /** Its length in bytes. */
    public int length() {
        return bytes.capacity();
    }

    /** Whether the bytes are in direct memory, so a socket write takes them without a copy. */
    public boolean isDirect() {
        return bytes.isDirect();
    }

    /** A read-only view of the whole body, positioned at its start, for this reader alone. */
    public ByteBuffer view() {
        return bytes.duplicate();
    }

    /** A read-only view of {@code length} bytes from {@code offset}, for this reader alone. */
    public ByteBuffer view(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > length()) {
            throw new IndexOutOfBoundsException(
                    "bytes " + offset + "+" + length + " of a body of " + length() + " (expected within it)");
        }
        ByteBuffer view = bytes.duplicate();
        view.position((int) offset).limit((int) (offset + length));
        return view.slice();
    }

    /**
     * The bytes as an array: the wrapped array itself for a heap body made by {@link #of} (shared:
     * never change it), else a copy.
     */
    public byte[] toArray() {
        if (array != null) {
            return array;
        }
        byte[] copy = new byte[length()];
        bytes.duplicate().get(copy);
        return copy;
    }

    /** The CRC-32C of the bytes. */
    public int crc32c() {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }

    /**
     * This body in direct memory: itself when it already is, else a copy.
     *
     * @throws OutOfMemoryError when the JVM's direct memory limit ({@code -XX:MaxDirectMemorySize})
     *     is reached even after the collector released what it could
     */
    public Body toDirect() {
        if (bytes.isDirect() || length() == 0) {
            return this;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(length());
        direct.put(bytes.duplicate()).flip();
        return new Body(direct.asReadOnlyBuffer(), null);
    }

    /** Equal when the bytes are, wherever they live. */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Body body && bytes.equals(body.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public String toString() {
        return "Body(" + length() + " bytes" + (isDirect() ? ", direct)" : ")");
    }
}
