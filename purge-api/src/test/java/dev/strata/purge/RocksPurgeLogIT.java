package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB purge log: durable across reopening, gapless sequence numbers, bounded retention. */
class RocksPurgeLogIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private static PurgeRequest tag(String tag) {
        return new PurgeRequest(PurgeRequest.Kind.TAGS, List.of(tag), false, List.of("*"));
    }

    @Test
    void entriesSurviveReopeningAndNumbersContinue() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
        String id;
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, clock, 100, Duration.ofDays(1))) {
            id = log.append(tag("a"), "ops", "").entry().id();
            log.append(tag("b"), "ops", "ops:key");
        }

        try (RocksPurgeLog log = RocksPurgeLog.open(dir, clock, 100, Duration.ofDays(1))) {
            assertThat(log.lastSeq()).isEqualTo(2);
            assertThat(log.oldestSeq()).isEqualTo(1);
            assertThat(log.byId(id).orElseThrow().request()).isEqualTo(tag("a"));
            assertThat(log.append(tag("other"), "ops", "ops:key").repeated()).isTrue();
            assertThat(log.append(tag("c"), "ops", "").entry().seq()).isEqualTo(3);
            assertThat(log.after(1, 10)).extracting(PurgeEntry::seq).containsExactly(2L, 3L);
            assertThat(log.after(0, 2)).extracting(PurgeEntry::seq).containsExactly(1L, 2L);
        }
    }

    @Test
    void retentionDropsTheOldestByCountAndAgeButNeverReusesNumbers() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, clock, 3, Duration.ofHours(1))) {
            for (int i = 0; i < 5; i++) {
                log.append(tag("t" + i), "ops", "ops:k" + i);
            }
            assertThat(log.oldestSeq()).isEqualTo(3);
            assertThat(log.after(0, 10)).extracting(PurgeEntry::seq).containsExactly(3L, 4L, 5L);
            assertThat(log.append(tag("again"), "ops", "ops:k0").repeated())
                    .as("the key went with its entry")
                    .isFalse();

            clock.advance(Duration.ofHours(2));
            log.append(tag("late"), "ops", "");
            assertThat(log.oldestSeq()).isEqualTo(7);
            assertThat(log.lastSeq()).isEqualTo(7);
        }
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, clock, 3, Duration.ofHours(1))) {
            assertThat(log.oldestSeq()).isEqualTo(7);
            clock.advance(Duration.ofHours(2));
        }
        try (RocksPurgeLog log = RocksPurgeLog.open(dir, clock, 3, Duration.ofHours(1))) {
            assertThat(log.oldestSeq()).as("everything aged out").isEqualTo(8);
            assertThat(log.append(tag("next"), "ops", "").entry().seq()).isEqualTo(8);
        }
    }
}
