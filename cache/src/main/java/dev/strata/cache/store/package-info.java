/**
 * Storage of responses: the memory tier (Caffeine), the disk tier (RocksDB) and the two together.
 * Tiers are bounded by bytes and never hand out a partially written entry.
 */
@NullMarked
package dev.strata.cache.store;

import org.jspecify.annotations.NullMarked;
