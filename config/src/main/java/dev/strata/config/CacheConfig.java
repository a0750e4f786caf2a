package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A node's two cache tiers.
 *
 * @param dir the RocksDB directory of the disk tier (created when missing)
 * @param memory the byte budget of the memory tier (Caffeine)
 * @param disk the byte budget of the disk tier (RocksDB)
 * @param maxObjectSize responses larger than this are passed through, not stored
 * @param maxMemoryObjectSize responses larger than this are stored on disk only, never in memory,
 *     so a few large objects cannot push out many small hot ones; when left out, {@link
 *     #defaultMaxMemoryObjectSize a 64th of the memory budget, at most 8MiB}
 * @param collapse how concurrent misses for one URL share one fetch
 */
public record CacheConfig(
        Path dir,
        ByteSize memory,
        ByteSize disk,
        ByteSize maxObjectSize,
        ByteSize maxMemoryObjectSize,
        CollapseConfig collapse) {
    /** The largest default {@link #maxMemoryObjectSize}, reached with 512MiB of memory. */
    private static final ByteSize MAX_DEFAULT_MEMORY_OBJECT_SIZE = ByteSize.ofMebibytes(8);

    /** Of the memory budget, the most one object takes by default: a 64th. */
    private static final int MEMORY_SHARE = 64;

    public CacheConfig {
        requireNonNull(dir, "dir");
        requireNonNull(memory, "memory");
        requireNonNull(disk, "disk");
        requireNonNull(maxObjectSize, "maxObjectSize");
        requireNonNull(maxMemoryObjectSize, "maxMemoryObjectSize");
        requireNonNull(collapse, "collapse");
    }

    /** With the default {@link #maxMemoryObjectSize} and collapsing. */
    public CacheConfig(Path dir, ByteSize memory, ByteSize disk, ByteSize maxObjectSize) {
        this(dir, memory, disk, maxObjectSize, defaultMaxMemoryObjectSize(memory));
    }

    /**
     * The {@link #maxMemoryObjectSize} for a memory budget when none is given: a 64th of it, at most
     * 8MiB (4MiB with the default 256MiB). A request hit ratio is won by keeping many small objects:
     * an object larger than this would push out dozens of them, and the disk tier holds it instead
     * (docs/adr/0015-memory-object-size-follows-the-budget.md).
     */
    public static ByteSize defaultMaxMemoryObjectSize(ByteSize memory) {
        return ByteSize.ofBytes(Math.min(MAX_DEFAULT_MEMORY_OBJECT_SIZE.bytes(), memory.bytes() / MEMORY_SHARE));
    }

    /** With the default collapsing. */
    public CacheConfig(Path dir, ByteSize memory, ByteSize disk, ByteSize maxObjectSize, ByteSize maxMemoryObjectSize) {
        this(dir, memory, disk, maxObjectSize, maxMemoryObjectSize, CollapseConfig.defaults());
    }

    /** 256MiB of memory and 4GiB of disk under {@code dir}, objects up to 64MiB, in memory up to 4MiB. */
    public static CacheConfig defaults(Path dir) {
        return new CacheConfig(dir, ByteSize.ofMebibytes(256), ByteSize.ofGibibytes(4), ByteSize.ofMebibytes(64));
    }

    /** This configuration with another disk-tier directory. */
    public CacheConfig withDir(Path newDir) {
        return new CacheConfig(newDir, memory, disk, maxObjectSize, maxMemoryObjectSize, collapse);
    }
}
