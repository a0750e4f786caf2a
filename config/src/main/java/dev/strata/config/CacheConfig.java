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
 */
public record CacheConfig(Path dir, ByteSize memory, ByteSize disk, ByteSize maxObjectSize) {
    public CacheConfig {
        requireNonNull(dir, "dir");
        requireNonNull(memory, "memory");
        requireNonNull(disk, "disk");
        requireNonNull(maxObjectSize, "maxObjectSize");
    }

    /** 256MiB of memory and 4GiB of disk under {@code dir}, objects up to 64MiB. */
    public static CacheConfig defaults(Path dir) {
        return new CacheConfig(dir, ByteSize.ofMebibytes(256), ByteSize.ofGibibytes(4), ByteSize.ofMebibytes(64));
    }

    /** This configuration with another disk-tier directory. */
    public CacheConfig withDir(Path newDir) {
        return new CacheConfig(newDir, memory, disk, maxObjectSize);
    }
}
