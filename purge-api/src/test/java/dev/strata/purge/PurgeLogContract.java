package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PurgeLog} promises (its Javadoc), run against each implementation by a subclass:
 * gapless numbers from 1 that survive reopening, idempotency keys that live as long as their entry,
 * retention by count and by age that never reuses a number, listeners after every append.
 */
abstract class PurgeLogContract {
    private final List<PurgeLog> opened = new ArrayList<>();

    /**
     * Opens the log under test, on the same storage each time in one test: a log opened again keeps
     * what the one before it appended.
     */
    abstract PurgeLog open(int retainEntries, Duration retention);

    /** A retention that {@link #ageOut} lets pass; long enough for a few appends and reads. */
    abstract Duration shortRetention();

    /** Lets every entry of {@code log}, opened with {@link #shortRetention()}, grow older than it. */
    abstract void ageOut(PurgeLog log);

    /** {@link #open} with a generous retention; closed after the test. */
    final PurgeLog open() {
        return track(open(100, Duration.ofDays(1)));
    }

    /** Closes {@code log} after the test. */
    final PurgeLog track(PurgeLog log) {
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(PurgeLog::close);
    }

    static PurgeRequest tag(String tag) {
        return new PurgeRequest(PurgeRequest.Kind.TAGS, List.of(tag), false, List.of("*"));
    }

    @Test
    void aNewLogIsEmptyAndNumbersStartAtOne() {
        PurgeLog log = open();

        assertThat(log.lastSeq()).isZero();
        assertThat(log.oldestSeq()).isEqualTo(1);
        assertThat(log.after(0, 10)).isEmpty();
        assertThat(log.byId("4f0c0d6e-0000-4000-8000-000000000000")).isEmpty();
        assertThat(log.byId("a.*.>")).isEmpty();

        PurgeEntry first = log.append(tag("a"), "ops", "").entry();

        assertThat(first.seq()).isEqualTo(1);
        assertThat(log.lastSeq()).isEqualTo(1);
        assertThat(log.byId(first.id())).hasValue(first);
        assertThat(log.after(0, 10)).containsExactly(first);
    }

    @Test
    void entriesSurviveReopeningAndNumbersContinue() {
        PurgeLog log = open();
        String id = log.append(tag("a"), "ops", "").entry().id();
        log.append(tag("b"), "ops", "ops:key");
        log.close();

        log = open();

        assertThat(log.lastSeq()).isEqualTo(2);
        assertThat(log.oldestSeq()).isEqualTo(1);
        assertThat(log.byId(id).orElseThrow().request()).isEqualTo(tag("a"));
        assertThat(log.append(tag("other"), "ops", "ops:key").repeated()).isTrue();
        assertThat(log.append(tag("c"), "ops", "").entry().seq()).isEqualTo(3);
        assertThat(log.after(1, 10)).extracting(PurgeEntry::seq).containsExactly(2L, 3L);
        assertThat(log.after(0, 2)).extracting(PurgeEntry::seq).containsExactly(1L, 2L);
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstEntry() {
        PurgeLog log = open();
        PurgeEntry first = log.append(tag("a"), "ops", "ops:k-1").entry();

        PurgeLog.Appended again = log.append(tag("not a"), "ops", "ops:k-1");
        PurgeLog.Appended otherKey = log.append(tag("a"), "ops", "ops:k-2");

        assertThat(again.repeated()).isTrue();
        assertThat(again.entry()).isEqualTo(first);
        assertThat(otherKey.repeated()).isFalse();
        assertThat(otherKey.entry().seq()).isEqualTo(2);
        assertThat(otherKey.entry().id()).isNotEqualTo(first.id());
        assertThat(log.lastSeq()).isEqualTo(2);
    }

    @Test
    void retentionDropsTheOldestByCountButNeverReusesNumbers() {
        PurgeLog log = track(open(3, Duration.ofDays(1)));
        for (int i = 0; i < 5; i++) {
            log.append(tag("t" + i), "ops", "ops:k" + i);
        }

        assertThat(log.oldestSeq()).isEqualTo(3);
        assertThat(log.after(0, 10)).extracting(PurgeEntry::seq).containsExactly(3L, 4L, 5L);
        assertThat(log.append(tag("again"), "ops", "ops:k0"))
                .as("the key went with its entry")
                .satisfies(appended -> assertThat(appended.repeated()).isFalse())
                .satisfies(appended -> assertThat(appended.entry().seq()).isEqualTo(6));
        assertThat(log.append(tag("t4"), "ops", "ops:k4").repeated()).isTrue();
        assertThat(log.oldestSeq()).isEqualTo(4);
    }

    @Test
    void retentionDropsTheOldestByAgeButNeverReusesNumbers() {
        Duration retention = shortRetention();
        PurgeLog log = track(open(100, retention));
        log.append(tag("a"), "ops", "ops:a");
        log.append(tag("b"), "ops", "");

        ageOut(log);
        PurgeLog.Appended late = log.append(tag("late"), "ops", "ops:a");

        assertThat(late.repeated()).as("the key went with its entry").isFalse();
        assertThat(late.entry().seq()).isEqualTo(3);
        assertThat(log.oldestSeq()).isEqualTo(3);
        assertThat(log.after(log.oldestSeq() - 1, 10)).containsExactly(late.entry());

        ageOut(log);
        log.close();
        log = track(open(100, retention));

        assertThat(log.oldestSeq()).as("everything aged out").isEqualTo(4);
        assertThat(log.lastSeq()).isEqualTo(3);
        assertThat(log.append(tag("next"), "ops", "").entry().seq()).isEqualTo(4);
    }

    @Test
    void appendsFromManyThreadsGetGaplessNumbersInOneOrder() throws Exception {
        PurgeLog log = open();
        int threads = 4;
        int each = 25;
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());

        AtOnce.run(threads, thread -> {
            for (int i = 0; i < each; i++) {
                seqs.add(log.append(tag("t" + thread + "-" + i), "ops", "")
                        .entry()
                        .seq());
            }
        });

        long total = (long) threads * each;
        assertThat(seqs)
                .containsExactlyInAnyOrderElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(log.lastSeq()).isEqualTo(total);
        assertThat(log.after(0, 1000))
                .extracting(PurgeEntry::seq)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    void listenersRunAfterEveryAppend() {
        PurgeLog log = open();
        AtomicInteger runs = new AtomicInteger();
        log.onAppend(runs::incrementAndGet);

        log.append(tag("a"), "ops", "");
        log.append(tag("b"), "ops", "ops:b");
        log.append(tag("b"), "ops", "ops:b"); // repeated: nothing appended

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(runs).hasValue(2));
        log.append(tag("c"), "ops", "");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(runs).hasValue(3));
        assertThat(log.lastSeq()).isEqualTo(3);
    }
}
