package dev.strata.proxy.accesslog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * A file appended to and rotated by size: before a write would take it past {@code maxBytes}, {@code
 * NAME} becomes {@code NAME.1}, {@code NAME.1} becomes {@code NAME.2} and so on, so that at most
 * {@code maxFiles} files exist, {@code NAME} included (with one file, it starts over). A target
 * that is not a regular file ({@code /dev/stdout}, a pipe) is never rotated.
 *
 * <p>Opened lazily, with missing parent directories created; after a failure the caller {@link
 * #close}s it and the next write opens it again, so a disk that was full or a directory that was
 * removed works again once it can. Blocking file I/O: for one writer thread only, never an I/O
 * thread.
 */
final class RotatingFile implements AutoCloseable {
    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private @Nullable FileChannel channel;
    private boolean regular;

    RotatingFile(Path path, long maxBytes, int maxFiles) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles: " + maxFiles + " (expected: >= 1)");
        }
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /**
     * Appends {@code bytes[0..length)}, whole lines, rotating the file whenever the next line would
     * take it past its size: no file outgrows it but one holding a single line longer than that.
     */
    void write(byte[] bytes, int length) throws IOException {
        int from = 0;
        while (from < length) {
            FileChannel out = open();
            int to = length;
            if (regular) {
                long size = out.size(); // the file's real size: right after a restart or a truncation too
                long room = maxBytes - size;
                if (length - from > room) {
                    int fits = lineEndBefore(bytes, from, (int) Math.min(length, from + Math.max(0, room)));
                    if (fits > from) {
                        to = fits;
                    } else if (size > 0) {
                        close();
                        rotate();
                        continue;
                    } else {
                        to = lineEndAfter(bytes, from, length); // an empty file takes one line, however long
                    }
                }
            }
            ByteBuffer chunk = ByteBuffer.wrap(bytes, from, to - from);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            from = to;
        }
    }

    /** The end (after its line break) of the last whole line in {@code bytes[from..limit)}, or {@code from}. */
    private static int lineEndBefore(byte[] bytes, int from, int limit) {
        for (int i = limit - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return from;
    }

    /** The end (after its line break) of the line starting at {@code from}, or {@code length}. */
    private static int lineEndAfter(byte[] bytes, int from, int length) {
        for (int i = from; i < length; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return length;
    }

    private FileChannel open() throws IOException {
        FileChannel open = channel;
        if (open != null) {
            return open;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        open = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        regular = Files.isRegularFile(path);
        channel = open;
        return open;
    }

    /** Shifts {@code NAME.i} to {@code NAME.(i+1)}, the oldest replaced, and {@code NAME} to {@code NAME.1}. */
    private void rotate() throws IOException {
        if (maxFiles == 1) {
            Files.deleteIfExists(path);
            return;
        }
        for (int i = maxFiles - 2; i >= 1; i--) {
            Path older = numbered(i);
            if (Files.exists(older)) {
                Files.move(older, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code NAME.n}, the {@code n}th newest rotated file. */
    Path numbered(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    /** Closes the file; the next write opens it again. Never throws. */
    @Override
    public void close() {
        FileChannel open = channel;
        channel = null;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // Nothing is buffered here: what did not reach the file was counted by the caller.
            }
        }
    }
}
