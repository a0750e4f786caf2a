package dev.strata.cache.store;

import dev.strata.cache.key.CacheKey;
import org.jspecify.annotations.Nullable;

/**
 * The two tiers together: memory (L1) in front of disk (L2). A disk hit is promoted to memory; a
 * store writes both; an invalidation removes from both.
 *
 * <p>{@link #lookupMemory} is safe on an I/O thread; {@link #lookupDisk}, {@link #store} and
 * {@link #invalidate} block on disk and belong on a worker. Thread-safe. Closing closes both tiers.
 */
public final class TieredCache implements AutoCloseable {
    private final MemoryTier memory;
    private final DiskTier disk;

    public TieredCache(MemoryTier memory, DiskTier disk) {
        this.memory = memory;
        this.disk = disk;
    }

    /** The memory entry for {@code key}, or null. Non-blocking. */
    public @Nullable CachedResponse lookupMemory(CacheKey key) {
        return memory.lookup(key);
    }

    /** The disk entry for {@code key}, promoted to memory when found, or null. Blocking. */
    public @Nullable CachedResponse lookupDisk(CacheKey key) {
        CachedResponse found = disk.lookup(key);
        if (found != null) {
            memory.store(key, found);
        }
        return found;
    }

    /** Stores in both tiers. Blocking. */
    public void store(CacheKey key, CachedResponse response) {
        memory.store(key, response);
        disk.store(key, response);
    }

    /** Removes from both tiers. Blocking. */
    public void invalidate(CacheKey key) {
        memory.invalidate(key);
        disk.invalidate(key);
    }

    public MemoryTier memory() {
        return memory;
    }

    public DiskTier disk() {
        return disk;
    }

    @Override
    public void close() {
        memory.close();
        disk.close();
    }
}
