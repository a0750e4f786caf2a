package dev.strata.origin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Strong entity tags derived from file content: the first 128 bits of the SHA-256 of the bytes, as
 * 32 hex digits. Hashing reads the whole file once (streaming, never whole in memory), so the tag
 * is cached per path and reused while the file's identity, size and modification time stay the
 * same; a file rewritten while it is hashed is not cached.
 *
 * <p>Thread-safe. The cache holds at most {@link #MAX_ENTRIES} paths and starts over when full,
 * which costs one re-hash per file and keeps memory bounded for huge trees.
 */
final class ValidatorCache {
    static final int MAX_ENTRIES = 10_000;
    private static final int BUFFER = 64 * 1024;
    private static final int TAG_BYTES = 16;

    private record Entry(@Nullable Object fileKey, long size, FileTime modified, EntityTag etag) {
        boolean describes(BasicFileAttributes attributes) {
            return size == attributes.size()
                    && modified.equals(attributes.lastModifiedTime())
                    && Objects.equals(fileKey, attributes.fileKey());
        }
    }

    private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The entity tag of {@code file}, opened as {@code channel}, whose attributes were read as
     * {@code attributes}. Blocking: call it off the I/O threads.
     */
    EntityTag etag(Path file, BasicFileAttributes attributes, FileChannel channel) throws IOException {
        Entry cached = entries.get(file);
        if (cached != null && cached.describes(attributes)) {
            return cached.etag();
        }
        EntityTag etag = EntityTag.strong(hash(channel));
        Entry entry = new Entry(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), etag);
        if (entry.describes(Files.readAttributes(file, BasicFileAttributes.class))) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(file, entry);
        }
        return etag;
    }

    private static String hash(FileChannel channel) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long position = 0;
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) {
                break;
            }
            position += read;
            buffer.flip();
            digest.update(buffer);
        }
        return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(), TAG_BYTES));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
