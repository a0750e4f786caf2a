package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB purge log against the contract of every purge log, in a RocksDB directory per test. */
class RocksPurgeLogIT extends PurgeLogContract {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    @Override
    PurgeLog open(int retainEntries, Duration retention) {
        return RocksPurgeLog.open(dir, clock, retainEntries, retention);
    }

    @Override
    Duration shortRetention() {
        return Duration.ofHours(1);
    }

    @Override
    void ageOut(PurgeLog log) {
        clock.advance(shortRetention().multipliedBy(2)); // the log trims at its next append or opening
    }

    @Test
    void concurrentAppendsAreWrittenInGroupsWithGaplessNumbersThatSurviveReopening() throws Exception {
        int threads = 16;
        int each = 50;
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger appended = new AtomicInteger();
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, Clock.systemUTC(), 100_000, Duration.ofDays(1))) {
            log.onAppend(appended::incrementAndGet);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        PurgeLog.Appended a = log.append(tag("t" + thread + "-" + i), "ops", "");
                        assertThat(a.repeated()).isFalse();
                        assertThat(log.lastSeq())
                                .as("durable when append returns")
                                .isGreaterThanOrEqualTo(a.entry().seq());
                        seqs.add(a.entry().seq());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(appended).hasValue(threads * each);
        }

        assertThat(seqs).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(Collections.max(seqs)).isEqualTo(threads * each);
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, Clock.systemUTC(), 100_000, Duration.ofDays(1))) {
            assertThat(log.lastSeq()).isEqualTo(threads * each);
            List<PurgeEntry> entries = log.after(0, threads * each + 1);
            assertThat(entries)
                    .extracting(PurgeEntry::seq)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, threads * each).boxed().toList());
        }
    }

    @Test
    void readsOfTheTailAndOfOlderEntriesGiveTheSameEntries() {
        List<PurgeEntry> appended = new ArrayList<>();
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, Clock.systemUTC(), 100, Duration.ofDays(1), 4)) {
            for (int i = 0; i < 10; i++) {
                appended.add(log.append(tag("t" + i), "ops", "").entry());
            }

            assertThat(log.after(0, 100))
                    .as("older than the tail kept in memory")
                    .isEqualTo(appended);
            assertThat(log.after(4, 3)).isEqualTo(appended.subList(4, 7));
            assertThat(log.after(6, 100)).as("the tail").isEqualTo(appended.subList(6, 10));
            assertThat(log.after(8, 1)).isEqualTo(appended.subList(8, 9));
            assertThat(log.after(10, 100)).isEmpty();
        }
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, Clock.systemUTC(), 100, Duration.ofDays(1), 4)) {
            assertThat(log.after(6, 100)).as("after reopening").isEqualTo(appended.subList(6, 10));
        }
    }

    @Test
    void concurrentAppendsWithOneIdempotencyKeyMakeOneEntry() throws Exception {
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, Clock.systemUTC(), 100, Duration.ofDays(1))) {
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<PurgeLog.Appended>> answers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return log.append(tag("once"), "ops", "ops:same");
                }));
            }
            go.countDown();
            List<PurgeLog.Appended> appended = new ArrayList<>();
            for (Future<PurgeLog.Appended> answer : answers) {
                appended.add(answer.get());
            }
            pool.shutdown();

            assertThat(appended).extracting(a -> a.entry().seq()).containsOnly(1L);
            assertThat(appended).filteredOn(a -> !a.repeated()).hasSize(1);
            assertThat(log.lastSeq()).isEqualTo(1);
        }
    }
}
