package dev.strata.cache.store;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.VaryKey;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The disk tier of a node whose cache directory could not be opened (a full disk, no permission,
 * RocksDB's native library not loadable): every lookup misses and every write is dropped and
 * counted, so the node serves from memory and upstream instead of not starting at all.
 */
public final class UnavailableTier implements CacheTier {
    private final Path dir;
    private final String reason;
    private final LongAdder droppedWrites = new LongAdder();

    /**
     * @param dir the directory that could not be used
     * @param reason why, for the operator
     */
    public UnavailableTier(Path dir, String reason) {
        this.dir = dir;
        this.reason = reason;
    }

    @Override
    public @Nullable StoredEntry lookup(CacheKey key) {
        return null;
    }

    @Override
    public @Nullable CachedResponse lookup(VaryKey key) {
        return null;
    }

    @Override
    public void store(CacheKey key, CachedResponse response) {
        droppedWrites.increment();
    }

    @Override
    public void store(VaryKey key, CachedResponse response) {
        droppedWrites.increment();
    }

    @Override
    public void invalidate(CacheKey key) {
        // Nothing is stored here, so nothing is left to remove.
    }

    /** Stores dropped because there is no disk tier. */
    public long droppedWrites() {
        return droppedWrites.sum();
    }

    public Path dir() {
        return dir;
    }

    public String reason() {
        return reason;
    }

    @Override
    public void close() {
        // Nothing was opened.
    }

    @Override
    public String toString() {
        return "unavailable disk tier " + dir + " (" + reason + ")";
    }
}
