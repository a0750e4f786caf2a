package dev.strata.cache.store;

import dev.strata.cache.fresh.Freshness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 *   int    magic 'STR1'
 *   int    status
 *   long   storedAtMillis
 *   long   lifetimeMillis
 *   long   ageMillis
 *   int    bodyLength
 *   int    bodyCrc32c
 *   int    headerCount, then per header: int length + UTF-8 name, int length + UTF-8 value
 * </pre>
 */
final class DiskFormat {
    static final int MAGIC = 0x53545231; // "STR1"
    private static final int MAX_HEADERS = 10_000;
    private static final int MAX_FIELD_BYTES = 1 << 20;

    /** Metadata as decoded, before the body is checked against it. */
    record Meta(
            int status, HeaderList headers, long storedAtMillis, Freshness freshness, int bodyLength, int bodyCrc) {}

    private DiskFormat() {}

    static byte[] encodeMeta(CachedResponse response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(response.status());
            out.writeLong(response.storedAtMillis());
            out.writeLong(response.freshness().lifetime().toMillis());
            out.writeLong(response.freshness().age().toMillis());
            out.writeInt(response.body().length);
            out.writeInt(crc(response.body()));
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

    /** The decoded metadata, or null when the bytes are not a valid record. */
    static @Nullable Meta decodeMeta(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            int status = in.readInt();
            long storedAt = in.readLong();
            long lifetime = in.readLong();
            long age = in.readLong();
            int bodyLength = in.readInt();
            int bodyCrc = in.readInt();
            int count = in.readInt();
            if (count < 0 || count > MAX_HEADERS || lifetime < 0 || age < 0 || bodyLength < 0) {
                return null;
            }
            List<HeaderList.Field> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                fields.add(new HeaderList.Field(readString(in), readString(in)));
            }
            if (in.available() != 0 || status < 100 || status > 999) {
                return null;
            }
            return new Meta(
                    status,
                    new HeaderList(fields),
                    storedAt,
                    new Freshness(Duration.ofMillis(lifetime), Duration.ofMillis(age)),
                    bodyLength,
                    bodyCrc);
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
