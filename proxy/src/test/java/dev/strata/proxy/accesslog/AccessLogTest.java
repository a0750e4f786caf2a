package dev.strata.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer on its own, against real files: rotation, the bounded queue under a flood, and files
 * that cannot be written. Enqueueing threads are named like Undertow's I/O threads, so BlockHound
 * fails the test if {@link AccessLog#log} ever blocks.
 */
class AccessLogTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final AccessLogFormat combined = AccessLogFormat.of("combined", ZoneOffset.UTC); // one per log

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private static AccessLogEntry entry(int n) {
        return new AccessLogEntry(
                1_795_000_000_000L,
                "127.0.0.1",
                "GET",
                "/object/" + n,
                "",
                "HTTP/1.1",
                200,
                100,
                300,
                null,
                "test",
                "HIT",
                -1,
                1_000_000,
                "ams",
                "id-" + n);
    }

    private static int number(String line) {
        int start = line.indexOf("/object/") + "/object/".length();
        return Integer.parseInt(line.substring(start, line.indexOf(' ', start)));
    }

    @Test
    void closingWritesEveryQueuedLine() throws Exception {
        Path file = dir.resolve("logs").resolve("access.log");
        AccessLog log = AccessLog.start(file, combined, 1 << 20, 3, "access-log-test");
        for (int i = 0; i < 500; i++) {
            assertThat(log.log(entry(i))).isTrue();
        }
        log.close();

        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(lines).hasSize(500);
        assertThat(lines.stream().map(AccessLogTest::number).toList())
                .isEqualTo(IntStream.range(0, 500).boxed().toList());
        assertThat(log.written()).isEqualTo(500);
        assertThat(log.dropped()).isZero();
        assertThat(log.log(entry(500))).as("closed").isFalse();
    }

    @Test
    void rotationBySizeKeepsAtMostMaxFilesOfWholeLines() throws Exception {
        Path file = dir.resolve("access.log");
        long maxBytes = 1000;
        AccessLog log = AccessLog.start(file, combined, maxBytes, 3, "access-log-test");
        int count = 200; // about 25 files' worth
        for (int i = 0; i < count; i++) {
            log.log(entry(i));
        }
        log.close();

        assertThat(file.resolveSibling("access.log.3")).doesNotExist();
        List<String> kept = new ArrayList<>();
        for (Path part : List.of(file.resolveSibling("access.log.2"), file.resolveSibling("access.log.1"), file)) {
            assertThat(Files.size(part)).as("%s", part).isPositive().isLessThanOrEqualTo(maxBytes);
            String text = Files.readString(part, StandardCharsets.US_ASCII);
            assertThat(text).endsWith("\n");
            kept.addAll(text.lines().toList());
        }
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(3);
        }
        // The newest lines, in order, none torn: the tail of what was logged.
        List<Integer> numbers = kept.stream().map(AccessLogTest::number).toList();
        assertThat(numbers.get(numbers.size() - 1)).isEqualTo(count - 1);
        for (int i = 1; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
        }
        assertThat(log.written()).isEqualTo(count);
    }

    @Test
    void withOneFileRotationStartsOver() throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.start(file, combined, 1000, 1, "access-log-test");
        for (int i = 0; i < 100; i++) {
            log.log(entry(i));
        }
        log.close();

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Files.size(file)).isLessThanOrEqualTo(1000);
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(number(lines.get(lines.size() - 1))).isEqualTo(99);
    }

    @Test
    void aFloodFasterThanTheWriterIsDroppedAndCountedNeverWaitedFor() throws Exception {
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lines = new AtomicInteger();
        Runnable hold = () -> {
            if (lines.getAndIncrement() == 0) {
                writerHeld.countDown();
                try {
                    release.await(); // the writer is stuck on a slow disk
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        int capacity = 8;
        AccessLog log = new AccessLog(
                        dir.resolve("access.log"), combined, 1 << 20, 2, "access-log-test", capacity, hold)
                .startWriter();
        log.log(entry(0));
        assertThat(writerHeld.await(30, TimeUnit.SECONDS)).isTrue();

        // Four threads named like Undertow's I/O threads (BlockHound watches those) flood the log;
        // plain threads, since a pool's own idle wait would count as blocking there.
        AtomicLong queued = new AtomicLong();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> floods = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = 1 + t * 1000;
            Thread flood = new Thread(
                    () -> {
                        for (int i = first; i < first + 1000; i++) {
                            if (log.log(entry(i))) {
                                queued.incrementAndGet();
                            }
                        }
                    },
                    "flood I/O-" + (t + 1));
            flood.setUncaughtExceptionHandler((th, e) -> failures.add(e)); // a BlockingOperationError too
            floods.add(flood);
            flood.start();
        }
        for (Thread flood : floods) {
            flood.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(flood.isAlive()).isFalse();
        }

        assertThat(failures).isEmpty();
        assertThat(queued.get()).isEqualTo(capacity);
        assertThat(log.droppedQueueFull()).isEqualTo(4000 - capacity);
        assertThat(log.queued()).isEqualTo(capacity);
        assertThat(log.written()).isZero();

        release.countDown();
        await().atMost(PATIENCE).until(() -> log.written() == 1 + capacity);
        log.close();
        assertThat(log.dropped()).isEqualTo(4000 - capacity);
        assertThat(Files.readAllLines(dir.resolve("access.log"))).hasSize(1 + capacity);
    }

    @Test
    void aFullDiskDropsAndCountsLines() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC
        assumeThat(Files.isWritable(full)).as("/dev/full on this system").isTrue();
        AccessLog log = AccessLog.start(full, combined, 1000, 3, "access-log-test");
        for (int i = 0; i < 50; i++) {
            assertThat(log.log(entry(i))).isTrue();
        }

        await().atMost(PATIENCE).until(() -> log.droppedWriteErrors() == 50);
        assertThat(log.written()).isZero();
        log.close();
        assertThat(log.dropped()).isEqualTo(50);
    }

    @Test
    void aPathThatCannotBeWrittenIsTriedAgainUntilItCan() throws Exception {
        Path file = Files.createDirectories(dir.resolve("access.log")); // a directory where the file goes
        AccessLog log = AccessLog.start(file, combined, 1 << 20, 3, "access-log-test");
        log.log(entry(0));
        await().atMost(PATIENCE).until(() -> log.droppedWriteErrors() == 1);

        Files.delete(file);
        AtomicInteger logged = new AtomicInteger(1);
        // Lines logged before the next try (once a second) are dropped; later ones are written.
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            log.log(entry(logged.getAndIncrement()));
            return log.written() > 0;
        });
        log.close();

        assertThat(log.written() + log.dropped()).isEqualTo(logged.get());
        assertThat(Files.readAllLines(file)).hasSize((int) log.written());
    }
}
