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
 *     so a few large objects cannot push out many small hot ones
 * @param collapse how concurrent misses for one URL share one fetch
 */
public record CacheConfig(
        Path dir,
        ByteSize memory,
        ByteSize disk,
        ByteSize maxObjectSize,
        ByteSize maxMemoryObjectSize,
        CollapseConfig collapse) {
    /** The default {@link #maxMemoryObjectSize}. */
    public static final ByteSize DEFAULT_MAX_MEMORY_OBJECT_SIZE = ByteSize.ofMebibytes(8);

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
        this(dir, memory, disk, maxObjectSize, DEFAULT_MAX_MEMORY_OBJECT_SIZE);
    }

    /** With the default collapsing. */
    public CacheConfig(Path dir, ByteSize memory, ByteSize disk, ByteSize maxObjectSize, ByteSize maxMemoryObjectSize) {
        this(dir, memory, disk, maxObjectSize, maxMemoryObjectSize, CollapseConfig.defaults());
    }

    /** 256MiB of memory and 4GiB of disk under {@code dir}, objects up to 64MiB, in memory up to 8MiB. */
    public static CacheConfig defaults(Path dir) {
        return new CacheConfig(dir, ByteSize.ofMebibytes(256), ByteSize.ofGibibytes(4), ByteSize.ofMebibytes(64));
    }

    /** This configuration with another disk-tier directory. */
    public CacheConfig withDir(Path newDir) {
        return new CacheConfig(newDir, memory, disk, maxObjectSize, maxMemoryObjectSize, collapse);
    }
}
