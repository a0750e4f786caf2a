package dev.strata.purge;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
}
