package dev.strata.proxy.accesslog;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An access log written asynchronously: {@link #log} hands an entry to a bounded queue and returns at
 * once; one writer thread formats the entries and writes them to a {@linkplain RotatingFile file
 * rotated by size}.
 *
 * <p>{@link #log} runs on Undertow's I/O threads, so it never blocks and never takes a lock: the
 * queue is lock-free ({@link ConcurrentLinkedQueue}), its bound a counter of entries queued, and an
 * idle writer is woken with {@link LockSupport#unpark}. A full queue drops the entry and counts it
 * ({@link #droppedQueueFull()}). The writer gathers lines into one buffer and writes it when it
 * holds 64 KiB or when the queue is empty, so a busy log costs one write per 64 KiB and a quiet one
 * shows each line at once.
 *
 * <p>A write that fails (a full disk, a removed directory, no permission) drops the lines it held
 * and counts them ({@link #droppedWriteErrors()}; some may have reached the file before the error,
 * and a torn last line is possible); the node keeps serving. One warning is logged
 * per run of failures and one line when writing works again; meanwhile the writer tries the file
 * again once a second, dropping what comes in between. Thread-safe.
 */
public final class AccessLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    /** Entries queued at most: a few MiB of memory, seconds of a busy node's requests. */
    static final int DEFAULT_CAPACITY = 16 * 1024;

    private static final int FLUSH_BYTES = 64 * 1024;
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);

    private final Path path;
    private final AccessLogFormat format;
    private final RotatingFile file;
    private final int capacity;
    private final Runnable beforeEachLine;
    private final Queue<AccessLogEntry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean writerIdle = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder droppedQueueFull = new LongAdder();
    private final AtomicLong droppedWriteErrors = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    // The writer thread's own state.
    private final StringBuilder line = new StringBuilder(512);
    private byte[] buffer = new byte[FLUSH_BYTES + 4096];
    private int buffered;
    private int bufferedLines;
    private boolean failing;
    private long retryAt;
    private long droppedInBurst;

    /**
     * An access log whose writer is not started yet ({@link #startWriter()}): {@code capacity}
     * entries queued at most, and {@code beforeEachLine} run on the writer thread before it formats
     * each entry, where a test can hold it.
     */
    AccessLog(
            Path path,
            AccessLogFormat format,
            long maxBytes,
            int maxFiles,
            String threadName,
            int capacity,
            Runnable beforeEachLine) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.path = requireNonNull(path, "path");
        this.format = requireNonNull(format, "format");
        this.file = new RotatingFile(path, maxBytes, maxFiles);
        this.capacity = capacity;
        this.beforeEachLine = requireNonNull(beforeEachLine, "beforeEachLine");
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true); // a writer stuck on a pipe never holds up the process exit
    }

    /**
     * Starts an access log writing to {@code path} (created, with its directories, at the first line;
     * a path that cannot be written is logged and retried, never fatal).
     *
     * @param format how each entry becomes a line
     * @param maxBytes the size past which the file is rotated
     * @param maxFiles the most files kept, {@code path} included
     * @param threadName the writer thread's name
     */
    public static AccessLog start(Path path, AccessLogFormat format, long maxBytes, int maxFiles, String threadName) {
        return new AccessLog(path, format, maxBytes, maxFiles, threadName, DEFAULT_CAPACITY, () -> {}).startWriter();
    }

    /** Starts the writer thread; returns this log. */
    AccessLog startWriter() {
        writer.start();
        return this;
    }

    /**
     * Queues {@code entry} for writing, or drops and counts it when the queue is full or the log is
     * closed. Never blocks and never takes a lock: safe on an I/O thread.
     *
     * @return whether the entry was queued
     */
    public boolean log(AccessLogEntry entry) {
        if (closing || queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            droppedQueueFull.increment();
            return false;
        }
        queue.offer(entry);
        if (writerIdle.get() && writerIdle.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
        return true;
    }

    /** The file written to. */
    public Path path() {
        return path;
    }

    /** Lines written to the file so far. */
    public long written() {
        return written.get();
    }

    /** Lines not written so far, for any reason: {@link #droppedQueueFull()} plus {@link #droppedWriteErrors()}. */
    public long dropped() {
        return droppedQueueFull() + droppedWriteErrors();
    }

    /** Entries dropped because the queue was full (the writer fell behind) or the log was closed. */
    public long droppedQueueFull() {
        return droppedQueueFull.sum();
    }

    /** Lines lost because writing the file failed (a full disk, no permission, …). */
    public long droppedWriteErrors() {
        return droppedWriteErrors.get();
    }

    /** Entries waiting for the writer now. */
    public int queued() {
        return Math.max(0, queued.get());
    }

    private void run() {
        while (true) {
            AccessLogEntry entry = queue.poll();
            if (entry != null) {
                queued.decrementAndGet();
                append(entry);
                continue;
            }
            flush();
            if (closing) {
                if (queue.isEmpty()) {
                    break;
                }
                continue;
            }
            writerIdle.set(true);
            if (queue.isEmpty() && !closing) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
            writerIdle.set(false);
        }
        file.close();
    }

    private void append(AccessLogEntry entry) {
        beforeEachLine.run();
        line.setLength(0);
        try {
            format.append(entry, line);
        } catch (RuntimeException e) {
            droppedWriteErrors.incrementAndGet();
            log.warn("access log {}: cannot format an entry, dropped: {}", path, e.toString());
            return;
        }
        line.append('\n');
        int length = line.length();
        if (buffered + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, buffered + length));
        }
        for (int i = 0; i < length; i++) {
            buffer[buffered++] = (byte) line.charAt(i); // the formats write ASCII only
        }
        bufferedLines++;
        if (buffered >= FLUSH_BYTES) {
            flush();
        }
    }

    private void flush() {
        if (bufferedLines == 0) {
            return;
        }
        long now = System.nanoTime();
        if (failing && now - retryAt < 0) {
            dropBuffered();
            return;
        }
        try {
            file.write(buffer, buffered);
            written.addAndGet(bufferedLines);
            if (failing) {
                failing = false;
                log.info("access log {}: writing again, {} lines were dropped meanwhile", path, droppedInBurst);
            }
        } catch (IOException | RuntimeException e) {
            file.close(); // opened again at the next try
            dropBuffered();
            retryAt = now + RETRY_NANOS;
            if (!failing) {
                failing = true;
                droppedInBurst = 0;
                log.warn(
                        "access log {}: cannot write ({}); dropping lines and counting them until it can,"
                                + " trying again every second",
                        path,
                        e.toString());
            }
        }
        buffered = 0;
        bufferedLines = 0;
        if (buffer.length > 4 * FLUSH_BYTES) {
            buffer = new byte[FLUSH_BYTES + 4096]; // one huge line does not keep its buffer
        }
    }

    private void dropBuffered() {
        droppedWriteErrors.addAndGet(bufferedLines);
        droppedInBurst += bufferedLines;
        buffered = 0;
        bufferedLines = 0;
    }

    /**
     * Stops taking entries, writes those queued, closes the file and stops the writer, waiting up
     * to 10 s for it (a writer stuck on a pipe is left behind: it is a daemon thread).
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(CLOSE_DEADLINE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            log.warn(
                    "access log {}: the writer did not finish within {}; {} entries left",
                    path,
                    CLOSE_DEADLINE,
                    queued());
        }
    }

    @Override
    public String toString() {
        return "access log " + path + " (" + format + ")";
    }
}
