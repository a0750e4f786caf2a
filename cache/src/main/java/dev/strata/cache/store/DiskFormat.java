package dev.strata.cache.store;

import dev.strata.cache.fresh.Freshness;
import dev.strata.cache.key.VaryKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk form of an entry's metadata (see docs/adr/0002-disk-tier-format.md). The body is
 * stored separately; the metadata records its length and CRC32C so that a torn or corrupt body is
 * never served.
 *
 * <pre>
 *   int    magic 'STR2'
 *   int    status
 *   long   storedAtMillis
 *   long   lifetimeMillis
 *   long   ageMillis
 *   long   staleWhileRevalidateMillis
 *   long   staleIfErrorMillis
 *   int    flags: bit 0 mustRevalidate, bit 1 noCache; other bits 0
 *   int    bodyLength
 *   int    bodyCrc32c
 *   int    headerCount, then per header: int length + UTF-8 name, int length + UTF-8 value
 * </pre>
 *
 * <p>Records are written as {@code STR2}. {@code STR1} records, written before the stale windows
 * and revalidation rules were kept, are still read: the same layout without the two stale windows
 * and the flags, which are then recomputed from the stored headers ({@link Freshness#from}), so an
 * old {@code no-cache} or {@code must-revalidate} entry is not served stale after an upgrade. A
 * record with unknown flags, negative durations or trailing bytes is rejected (read as a miss).
 *
 * <p>The key of a URL whose responses vary holds a {@link VaryMarker} instead, with no body:
 *
 * <pre>
 *   int    magic 'STRV'
 *   int    fieldCount (at least 1), then per field: int length + UTF-8 name (lower case, sorted)
 * </pre>
 *
 * <p>Its variants are ordinary {@code STR2} records under {@link VaryKey#toBytes()}. A build
 * without variants reads {@code STRV} as corrupt and drops it as a miss.
 *
 * <p>An encoded variant ({@link dev.strata.cache.key.EncodedKey}) has its own record; its body is
 * the encoded bytes:
 *
 * <pre>
 *   int    magic 'STRE'
 *   int    length + US-ASCII content coding (say br)
 *   long   sourceLength: the length of the body it encodes
 *   int    sourceCrc32c: the CRC32C of that body
 *   int    bodyLength
 *   int    bodyCrc32c
 * </pre>
 *
 * <p>Only lookups of encoded variants read these keys; a build without them never looks them up
 * and deletes them with their URL.
 */
final class DiskFormat {
    static final int MAGIC = 0x53545232; // "STR2"
    static final int MAGIC_V1 = 0x53545231; // "STR1"
    static final int MAGIC_MARKER = 0x53545256; // "STRV"
    static final int MAGIC_ENCODED = 0x53545245; // "STRE"
    private static final int MAX_CODING_BYTES = 16;
    static final int MUST_REVALIDATE = 1;
    static final int NO_CACHE = 1 << 1;
    private static final int KNOWN_FLAGS = MUST_REVALIDATE | NO_CACHE;
    private static final int MAX_HEADERS = 10_000;
    private static final int MAX_FIELD_BYTES = 1 << 20;

    /** Metadata as decoded, before the body is checked against it. */
    record Meta(
            int status, HeaderList headers, long storedAtMillis, Freshness freshness, int bodyLength, int bodyCrc) {}

    /** An encoded variant's metadata as decoded, before its body is checked against it. */
    record EncodedMeta(String coding, long sourceLength, int sourceCrc, int bodyLength, int bodyCrc) {}

    private DiskFormat() {}

    static byte[] encodeEncoded(EncodedBody encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC_ENCODED);
            writeString(out, encoded.coding());
            out.writeLong(encoded.sourceLength());
            out.writeInt(encoded.sourceCrc());
            out.writeInt(encoded.body().length());
            out.writeInt(encoded.body().crc32c());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return bytes.toByteArray();
    }

    /** The decoded metadata of an encoded variant, or null when the bytes are not a valid {@code STRE} record. */
    static @Nullable EncodedMeta decodeEncoded(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC_ENCODED) {
                return null;
            }
            int codingLength = in.readInt();
            if (codingLength <= 0 || codingLength > MAX_CODING_BYTES || codingLength > in.available()) {
                return null;
            }
            String coding = new String(in.readNBytes(codingLength), StandardCharsets.US_ASCII);
            long sourceLength = in.readLong();
            int sourceCrc = in.readInt();
            int bodyLength = in.readInt();
            int bodyCrc = in.readInt();
            if (in.available() != 0 || sourceLength < 0 || bodyLength < 0) {
                return null;
            }
            return new EncodedMeta(coding, sourceLength, sourceCrc, bodyLength, bodyCrc);
        } catch (IOException e) {
            return null;
        }
    }

    static byte[] encodeMeta(CachedResponse response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        Freshness freshness = response.freshness();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(response.status());
            out.writeLong(response.storedAtMillis());
            out.writeLong(freshness.lifetime().toMillis());
            out.writeLong(freshness.age().toMillis());
            out.writeLong(freshness.staleWhileRevalidate().toMillis());
            out.writeLong(freshness.staleIfError().toMillis());
            out.writeInt((freshness.mustRevalidate() ? MUST_REVALIDATE : 0) | (freshness.noCache() ? NO_CACHE : 0));
            out.writeInt(response.body().length());
            out.writeInt(response.body().crc32c());
            List<HeaderList.Field> fields = response.headers().fields();
            out.writeInt(fields.size());
            for (HeaderList.Field field : fields) {
                writeString(out, field.name());
                writeString(out, field.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return bytes.toByteArray();
    }

    /** The decoded metadata ({@code STR2} or {@code STR1}), or null when the bytes are not a valid record. */
    static @Nullable Meta decodeMeta(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic != MAGIC && magic != MAGIC_V1) {
                return null;
            }
            boolean v1 = magic == MAGIC_V1;
            int status = in.readInt();
            long storedAt = in.readLong();
            long lifetime = in.readLong();
            long age = in.readLong();
            long staleWhileRevalidate = v1 ? 0 : in.readLong();
            long staleIfError = v1 ? 0 : in.readLong();
            int flags = v1 ? 0 : in.readInt();
            int bodyLength = in.readInt();
            int bodyCrc = in.readInt();
            int count = in.readInt();
            if (count < 0
                    || count > MAX_HEADERS
                    || lifetime < 0
                    || age < 0
                    || staleWhileRevalidate < 0
                    || staleIfError < 0
                    || (flags & ~KNOWN_FLAGS) != 0
                    || bodyLength < 0) {
                return null;
            }
            List<HeaderList.Field> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                fields.add(new HeaderList.Field(readString(in), readString(in)));
            }
            if (in.available() != 0 || status < 100 || status > 999) {
                return null;
            }
            HeaderList headers = new HeaderList(fields);
            Freshness freshness = v1
                    ? Freshness.from(Duration.ofMillis(lifetime), Duration.ofMillis(age), headers)
                    : new Freshness(
                            Duration.ofMillis(lifetime),
                            Duration.ofMillis(age),
                            Duration.ofMillis(staleWhileRevalidate),
                            Duration.ofMillis(staleIfError),
                            (flags & MUST_REVALIDATE) != 0,
                            (flags & NO_CACHE) != 0);
            return new Meta(status, headers, storedAt, freshness, bodyLength, bodyCrc);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code metaBytes} is a vary marker ({@code STRV}) rather than a response's metadata. */
    static boolean isMarker(byte[] metaBytes) {
        return metaBytes.length >= 4 && ByteBuffer.wrap(metaBytes).getInt(0) == MAGIC_MARKER;
    }

    static byte[] encodeMarker(VaryMarker marker) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC_MARKER);
            out.writeInt(marker.fieldNames().size());
            for (String name : marker.fieldNames()) {
                writeString(out, name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return bytes.toByteArray();
    }

    /** The decoded marker, or null when the bytes are not a valid {@code STRV} record. */
    static @Nullable VaryMarker decodeMarker(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC_MARKER) {
                return null;
            }
            int count = in.readInt();
            if (count <= 0 || count > MAX_HEADERS) {
                return null;
            }
            List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                names.add(readString(in));
            }
            if (in.available() != 0) {
                return null;
            }
            // Only the normalized form (VaryKey.fieldNames) is ever written; anything else is corrupt.
            return VaryKey.fieldNames(List.of(String.join(",", names))).equals(names) ? new VaryMarker(names) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static int crc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        return (int) crc.getValue();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FIELD_BYTES || length > in.available()) {
            throw new IOException("field length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
