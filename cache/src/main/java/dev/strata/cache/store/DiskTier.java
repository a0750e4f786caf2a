package dev.strata.cache.store;

import dev.strata.cache.key.CacheKey;
import dev.strata.cache.key.EncodedKey;
import dev.strata.cache.key.VaryKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionOptionsFIFO;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;
import org.rocksdb.HistogramType;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk tier: RocksDB with metadata and bodies in separate column families, so a revalidation
 * can rewrite headers without rewriting the body. An entry is written in one atomic batch (with the
 * write-ahead log, so it survives {@code kill -9}); a read checks the body's length and CRC32C
 * against the metadata and drops an entry that does not match.
 *
 * <p>Bounded by bytes: both column families use FIFO compaction with a byte budget, so the oldest
 * data files go first when the budget is reached. An entry whose body was evicted before its
 * metadata reads as a miss and is cleaned up.
 *
 * <p>Variants (RFC 9111 §4.1): a URL that varies has a {@link VaryMarker} under its key and each
 * variant under {@link VaryKey#toBytes()}, its key bytes followed by a NUL and a hash. All of a
 * URL's entries therefore share its key bytes as a prefix, and invalidating it deletes them with
 * one bounded scan. Encoded variants ({@link EncodedKey}) share that prefix too.
 *
 * <p>A directory that will not open (corrupt, wrong format) is moved aside as {@code
 * NAME.broken-TIMESTAMP} with one log line and a fresh one is created; a directory locked by
 * another running process is refused, never moved. Read and write errors are counted and degrade
 * to a miss or a skipped store: the node keeps serving from memory and upstream. Purge markers and
 * the purge log's sequence are the exception: a failed write of one throws (after counting it), so
 * the purge is not recorded as applied and is applied again, never lost across a restart.
 *
 * <p>Every method blocks on disk I/O: never call it on an I/O thread. Thread-safe; after {@link
 * #close()} lookups miss and writes are ignored (a use after close never reaches native code).
 */
public final class DiskTier implements CacheTier, TierStats {
    private static final Logger log = LoggerFactory.getLogger(DiskTier.class);
    private static final byte[] META = "meta".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "body".getBytes(StandardCharsets.UTF_8);
    /** Purge markers live in the default column family, which is never compacted away by FIFO. */
    private static final String MARKER_PREFIX = "purge-marker\0";
    /** The purge log's last applied sequence, next to the markers (default column family). */
    private static final byte[] PURGE_LOG_SEQ = "purge-log-seq".getBytes(StandardCharsets.UTF_8);

    private static final DateTimeFormatter QUARANTINE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long maxBytes;
    private final Statistics statistics;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions;
    private final BloomFilter bloom;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle markers;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle body;
    private final WriteOptions writeOptions = new WriteOptions();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    /** Readers are the operations, the writer is close: no native call ever runs on a closed DB. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private boolean closed; // guarded by lifecycle

    private DiskTier(
            Path dir,
            long maxBytes,
            Statistics statistics,
            DBOptions dbOptions,
            List<ColumnFamilyOptions> cfOptions,
            BloomFilter bloom,
            RocksDB db,
            List<ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.statistics = statistics;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.bloom = bloom;
        this.db = db;
        this.handles = handles;
        this.markers = handles.get(0);
        this.meta = handles.get(1);
        this.body = handles.get(2);
    }

    /**
     * Opens (or creates) the tier in {@code dir}, quarantining a directory that will not open.
     *
     * @param maxBytes the byte budget on disk
     * @param clock names the quarantined directory
     * @throws CacheStorageException when the directory is in use (locked by another process or by
     *     another open tier in this one; {@link CacheStorageException#inUse()}), cannot be created
     *     even after quarantine, or RocksDB's native library cannot be loaded (it is unpacked into
     *     the temporary directory, which may be full)
     */
    public static DiskTier open(Path dir, long maxBytes, Clock clock) {
        loadLibrary();
        try {
            Files.createDirectories(dir);
            return tryOpen(dir, maxBytes);
        } catch (RocksDBException | IOException e) {
            if (isLockHeld(dir, e)) {
                throw CacheStorageException.inUse(
                        "cache directory " + dir + " is in use by another process or another tier in this one ("
                                + e.getMessage() + ")",
                        e);
            }
            Path aside = quarantineName(dir, clock);
            log.warn(
                    "cache directory {} does not open ({}); moved it to {} and starting empty",
                    dir,
                    e.getMessage(),
                    aside);
            try {
                Files.move(dir, aside);
                Files.createDirectories(dir);
                return tryOpen(dir, maxBytes);
            } catch (RocksDBException | IOException again) {
                again.addSuppressed(e);
                throw CacheStorageException.unusable(
                        "cache directory " + dir + " cannot be used (" + again.getMessage() + ")", again);
            }
        }
    }

    private static void loadLibrary() {
        try {
            RocksDB.loadLibrary(); // once per process; later calls return at once
        } catch (RuntimeException | LinkageError e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw CacheStorageException.unusable(
                    "RocksDB's native library cannot be loaded (" + e.getMessage()
                            + (root == e ? "" : ": " + root.getMessage()) + ")",
                    e);
        }
    }

    /**
     * Whether opening failed because another RocksDB instance holds the directory's lock. RocksDB
     * names the lock file in both forms of that error ("lock hold by current process, …: DIR/LOCK: …"
     * and "While lock file: DIR/LOCK: …"); matching the path, not the word "lock", keeps a corrupt
     * directory whose path merely contains "lock" (say {@code /var/cache/blocks}) from being refused
     * instead of quarantined.
     */
    private static boolean isLockHeld(Path dir, Exception e) {
        return e instanceof RocksDBException && String.valueOf(e.getMessage()).contains(dir.resolve("LOCK") + ":");
    }

    /** {@code NAME.broken-TIMESTAMP}, with a counter when that name is taken (two failures in a second). */
    private static Path quarantineName(Path dir, Clock clock) {
        String base = dir.getFileName() + ".broken-" + QUARANTINE_STAMP.format(clock.instant());
        Path aside = dir.resolveSibling(base);
        for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
            aside = dir.resolveSibling(base + "-" + i);
        }
        return aside;
    }

    private static DiskTier tryOpen(Path dir, long maxBytes) throws RocksDBException {
        // Tickers only (bytes read and written, FIFO compactions): with every histogram ignored
        // RocksDB starts no timer on the read and write paths.
        Statistics statistics = new Statistics(EnumSet.allOf(HistogramType.class));
        DBOptions dbOptions = new DBOptions()
                .setStatistics(statistics)
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(2)
                .setMaxTotalWalSize(64L << 20);
        ColumnFamilyOptions defaults = new ColumnFamilyOptions();
        // Bloom filters let a point lookup skip data files without the key: with FIFO compaction
        // every file is in one unsorted level, so without them every lookup reads every file
        // (docs/benchmarks.md).
        BloomFilter bloom = new BloomFilter(10, false);
        ColumnFamilyOptions metaOptions = fifo(Math.max(64L << 20, maxBytes / 16), bloom);
        ColumnFamilyOptions bodyOptions = fifo(maxBytes, bloom);
        List<ColumnFamilyOptions> cfOptions = List.of(defaults, metaOptions, bodyOptions);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaults),
                new ColumnFamilyDescriptor(META, metaOptions),
                new ColumnFamilyDescriptor(BODY, bodyOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new DiskTier(dir, maxBytes, statistics, dbOptions, cfOptions, bloom, db, handles);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            cfOptions.forEach(ColumnFamilyOptions::close);
            bloom.close();
            dbOptions.close();
            statistics.close();
            throw e;
        }
    }

    /**
     * A column family of FIFO-compacted files within {@code maxBytes}. Its write buffer (memtable)
     * is a sixteenth of the budget, from RocksDB's smallest, 64 KiB, up to its default, 64 MiB: what
     * waits in it is held on top of the files, and FIFO compaction can only drop whole files, so a
     * buffer near the budget would let a small tier hold twice its budget or more. The buffer grows
     * in blocks of at most 64 KiB (RocksDB's default is an eighth of the buffer, allocated on the
     * first write), so an almost empty buffer holds and reports little.
     */
    private static ColumnFamilyOptions fifo(long maxBytes, BloomFilter bloom) {
        long writeBufferSize = Math.max(64L << 10, Math.min(64L << 20, maxBytes / 16));
        return new ColumnFamilyOptions()
                .setWriteBufferSize(writeBufferSize)
                .setArenaBlockSize(Math.min(64L << 10, writeBufferSize / 8))
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom))
                .setCompactionStyle(CompactionStyle.FIFO)
                .setCompactionOptionsFIFO(new CompactionOptionsFIFO().setMaxTableFilesSize(maxBytes));
    }

    /** A read of the database; null for nothing found. */
    @FunctionalInterface
    private interface Read<T> {
        @Nullable
        T run() throws RocksDBException;
    }

    /**
     * Runs {@code read} while the tier is open (null once closed); a RocksDB error is counted and
     * reads as nothing found.
     */
    private <T> @Nullable T reading(Read<T> read) {
        lifecycle.readLock().lock();
        try {
            return closed ? null : read.run();
        } catch (RocksDBException e) {
            countError("read", e);
            return null;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public @Nullable StoredEntry lookup(CacheKey key) {
        byte[] keyBytes = key.toBytes();
        return this.<StoredEntry>reading(() -> {
            // One MultiGet reads both column families from one consistent view, so a store landing
            // between the two reads can never look like a torn entry.
            List<byte[]> values = db.multiGetAsList(List.of(meta, body), List.of(keyBytes, keyBytes));
            byte[] metaBytes = values.get(0);
            if (metaBytes == null) {
                return counted(null);
            }
            if (DiskFormat.isMarker(metaBytes)) {
                VaryMarker marker = DiskFormat.decodeMarker(metaBytes);
                if (marker == null) {
                    dropCorrupt(key, keyBytes);
                }
                return counted(marker);
            }
            return counted(decodeResponse(key, keyBytes, metaBytes, values.get(1)));
        });
    }

    @Override
    public @Nullable CachedResponse lookup(VaryKey key) {
        byte[] primaryBytes = key.primary().toBytes();
        byte[] keyBytes = key.toBytes();
        return this.<CachedResponse>reading(() -> {
            // The marker is read in the same consistent view: a variant is reachable only through
            // a marker of its fields (one evicted by FIFO compaction leaves its variants unreachable).
            List<byte[]> values =
                    db.multiGetAsList(List.of(meta, meta, body), List.of(primaryBytes, keyBytes, keyBytes));
            byte[] markerBytes = values.get(0);
            byte[] metaBytes = values.get(1);
            if (markerBytes == null || metaBytes == null) {
                return counted(null);
            }
            VaryMarker marker = DiskFormat.decodeMarker(markerBytes);
            if (marker == null || !marker.fieldNames().equals(key.fieldNames())) {
                return counted(null);
            }
            return counted(decodeResponse(key, keyBytes, metaBytes, values.get(2)));
        });
    }

    @Override
    public @Nullable EncodedBody lookup(EncodedKey key) {
        byte[] keyBytes = key.toBytes();
        return this.<EncodedBody>reading(() -> {
            List<byte[]> values = db.multiGetAsList(List.of(meta, body), List.of(keyBytes, keyBytes));
            byte[] metaBytes = values.get(0);
            if (metaBytes == null) {
                return counted(null);
            }
            DiskFormat.EncodedMeta decoded = DiskFormat.decodeEncoded(metaBytes);
            byte[] bodyBytes = values.get(1);
            if (decoded == null
                    || !decoded.coding().equals(key.coding())
                    || bodyBytes == null
                    || bodyBytes.length != decoded.bodyLength()
                    || DiskFormat.crc(bodyBytes) != decoded.bodyCrc()) {
                dropCorrupt(key, keyBytes);
                return counted(null);
            }
            return counted(new EncodedBody(decoded.coding(), decoded.sourceLength(), decoded.sourceCrc(), bodyBytes));
        });
    }

    @Override
    public void store(EncodedKey key, EncodedBody encoded) {
        byte[] keyBytes = key.toBytes();
        lifecycle.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            if (closed) {
                return;
            }
            batch.put(body, keyBytes, encoded.body().toArray());
            batch.put(meta, keyBytes, DiskFormat.encodeEncoded(encoded));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            countError("write", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Counts a read as a hit or a miss; returns {@code found}. */
    private <T> @Nullable T counted(@Nullable T found) {
        (found == null ? misses : hits).increment();
        return found;
    }

    /** The response whose metadata and body these are, or null (and the entry dropped) when they do not match. */
    private @Nullable CachedResponse decodeResponse(
            Object key, byte[] keyBytes, byte[] metaBytes, byte @Nullable [] bodyBytes) throws RocksDBException {
        DiskFormat.Meta decoded = DiskFormat.decodeMeta(metaBytes);
        if (decoded == null
                || bodyBytes == null
                || bodyBytes.length != decoded.bodyLength()
                || DiskFormat.crc(bodyBytes) != decoded.bodyCrc()) {
            dropCorrupt(key, keyBytes);
            return null;
        }
        return new CachedResponse(
                decoded.status(), decoded.headers(), bodyBytes, decoded.storedAtMillis(), decoded.freshness());
    }

    private void dropCorrupt(Object key, byte[] keyBytes) throws RocksDBException {
        corrupt.incrementAndGet();
        log.debug("dropping unusable disk entry {}", key);
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(meta, keyBytes);
            batch.delete(body, keyBytes);
            db.write(writeOptions, batch);
        }
    }

    @Override
    public void store(CacheKey key, CachedResponse response) {
        byte[] keyBytes = key.toBytes();
        lifecycle.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            if (closed) {
                return;
            }
            byte[] previous = db.get(meta, keyBytes);
            if (previous != null && DiskFormat.isMarker(previous)) {
                deleteVariants(batch, key); // the URL no longer varies
            }
            batch.put(body, keyBytes, response.body().toArray());
            batch.put(meta, keyBytes, DiskFormat.encodeMeta(response));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            countError("write", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One batch writes the marker (again, so FIFO compaction never drops it before the variants it
     * leads to) and the variant; when the URL's key held a marker of other fields, that batch also
     * deletes the variants it led to.
     */
    @Override
    public void store(VaryKey key, CachedResponse response) {
        byte[] primaryBytes = key.primary().toBytes();
        byte[] keyBytes = key.toBytes();
        byte[] marker = DiskFormat.encodeMarker(VaryMarker.of(key));
        lifecycle.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            if (closed) {
                return;
            }
            byte[] previous = db.get(meta, primaryBytes);
            if (previous != null && DiskFormat.isMarker(previous) && !Arrays.equals(previous, marker)) {
                deleteVariants(batch, key.primary()); // selected by other fields: unreachable now
            }
            batch.put(meta, primaryBytes, marker);
            batch.delete(body, primaryBytes); // a response that did not vary
            batch.put(body, keyBytes, response.body().toArray());
            batch.put(meta, keyBytes, DiskFormat.encodeMeta(response));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            countError("write", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void invalidate(CacheKey key) {
        byte[] keyBytes = key.toBytes();
        lifecycle.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            if (closed) {
                return;
            }
            batch.delete(meta, keyBytes);
            batch.delete(body, keyBytes);
            deleteVariants(batch, key);
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            countError("delete", e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Adds to {@code batch} the deletion of every variant of {@code key}: the keys in both column
     * families that start with its bytes and a NUL ({@link VaryKey#variantPrefix}), found with a
     * bounded iterator (point deletes, not a range tombstone, which FIFO compaction would carry
     * until the file is dropped and every read would consult).
     */
    private void deleteVariants(WriteBatch batch, CacheKey key) throws RocksDBException {
        byte[] from = VaryKey.variantPrefix(key);
        byte[] to = from.clone();
        to[to.length - 1] = 1;
        try (Slice upper = new Slice(to);
                ReadOptions options = new ReadOptions().setIterateUpperBound(upper)) {
            for (ColumnFamilyHandle family : List.of(meta, body)) {
                try (RocksIterator iterator = db.newIterator(family, options)) {
                    for (iterator.seek(from); iterator.isValid(); iterator.next()) {
                        batch.delete(family, iterator.key());
                    }
                    iterator.status();
                }
            }
        }
    }

    /** {@code purge-marker NUL SCOPE NUL hard|soft NUL target}: one record per target and kind. */
    private static byte[] markerKey(PurgeMarker marker) {
        return (MARKER_PREFIX + marker.scope() + "\0" + (marker.soft() ? "soft" : "hard") + "\0" + marker.target())
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public List<PurgeMarker> purgeMarkers() {
        List<PurgeMarker> found = new ArrayList<>();
        byte[] from = MARKER_PREFIX.getBytes(StandardCharsets.UTF_8);
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return found;
            }
            try (RocksIterator iterator = db.newIterator(markers)) {
                for (iterator.seek(from); iterator.isValid(); iterator.next()) {
                    String key = new String(iterator.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(MARKER_PREFIX)) {
                        break;
                    }
                    PurgeMarker marker = decodeMarker(key.substring(MARKER_PREFIX.length()), iterator.value());
                    if (marker == null) {
                        log.warn("disk tier {}: ignoring an unreadable purge marker {}", dir, key.replace('\0', ' '));
                    } else {
                        found.add(marker);
                    }
                }
                iterator.status();
            }
        } catch (RocksDBException e) {
            countError("read", e);
        } finally {
            lifecycle.readLock().unlock();
        }
        return found;
    }

    private static @Nullable PurgeMarker decodeMarker(String key, byte[] value) {
        String[] parts = key.split("\0", 3);
        if (parts.length != 3 || value.length != Long.BYTES) {
            return null;
        }
        try {
            return new PurgeMarker(
                    PurgeMarker.Scope.valueOf(parts[0]),
                    parts[2],
                    ByteBuffer.wrap(value).getLong(),
                    parts[1].equals("soft"));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void storePurgeMarker(PurgeMarker marker) {
        putLong(markerKey(marker), marker.atMillis());
    }

    /**
     * Writes a long under {@code key} in the default column family (markers and the log sequence).
     *
     * @throws CacheStorageException when RocksDB fails the write (counted as an error too)
     */
    private void putLong(byte[] key, long value) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return;
            }
            db.put(
                    markers,
                    writeOptions,
                    key,
                    ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        } catch (RocksDBException e) {
            countError("write", e);
            throw CacheStorageException.writeFailed(
                    "disk tier " + dir + ": writing a purge failed: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public long purgeLogSeq() {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return 0;
            }
            byte[] value = db.get(markers, PURGE_LOG_SEQ);
            return value == null || value.length != Long.BYTES
                    ? 0
                    : ByteBuffer.wrap(value).getLong();
        } catch (RocksDBException e) {
            countError("read", e);
            return 0;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void storePurgeLogSeq(long seq) {
        putLong(PURGE_LOG_SEQ, seq);
    }

    private void countError(String operation, RocksDBException e) {
        long count = errors.incrementAndGet();
        if (count == 1 || Long.bitCount(count) == 1) { // log the 1st, 2nd, 4th, 8th… error
            log.warn("disk tier {} {} failed ({} errors so far): {}", dir, operation, count, e.getMessage());
        }
    }

    /** Read, write and delete errors since open. */
    public long errorCount() {
        return errors.get();
    }

    /** Entries dropped because their body did not match their metadata. */
    public long corruptCount() {
        return corrupt.get();
    }

    /** The directory this tier lives in. */
    public Path dir() {
        return dir;
    }

    /** The byte budget of the bodies' files. */
    @Override
    public long maxBytes() {
        return maxBytes;
    }

    /** Non-blocking. */
    @Override
    public long hitCount() {
        return hits.sum();
    }

    /** Errors and dropped entries included. Non-blocking. */
    @Override
    public long missCount() {
        return misses.sum();
    }

    /**
     * The size of the tier's live files plus what its write buffers hold and have not flushed yet; 0
     * once closed. Blocking (a native call). Not RocksDB's {@code estimate-live-data-size}: it counts
     * one file of any that overlap in keys, and under FIFO compaction every file does.
     */
    @Override
    public long usedBytes() {
        return property("rocksdb.live-sst-files-size") + property("rocksdb.cur-size-all-mem-tables");
    }

    /** RocksDB's estimate of the keys in the metadata column family; 0 once closed. Blocking (a native call). */
    @Override
    public long entryCount() {
        lifecycle.readLock().lock();
        try {
            return closed ? 0 : db.getLongProperty(meta, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return 0;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Bytes read by lookups since open: RocksDB's {@code rocksdb.bytes.read} (single reads) plus
     * {@code rocksdb.number.multiget.bytes.read} (lookups read metadata and body in one MultiGet).
     */
    public long bytesRead() {
        return ticker(TickerType.BYTES_READ) + ticker(TickerType.NUMBER_MULTIGET_BYTES_READ);
    }

    /** Bytes written by stores, deletes and markers since open (RocksDB's {@code rocksdb.bytes.written}). */
    public long bytesWritten() {
        return ticker(TickerType.BYTES_WRITTEN);
    }

    /**
     * FIFO compactions since open that dropped the oldest files to stay within the budget: the disk
     * tier's evictions, counted by file, not by entry.
     */
    public long compactionCount() {
        return ticker(TickerType.FIFO_MAX_SIZE_COMPACTIONS);
    }

    /** A database-wide property summed over the column families; 0 once closed or when RocksDB fails. */
    private long property(String name) {
        lifecycle.readLock().lock();
        try {
            return closed ? 0 : db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            return 0;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private long ticker(TickerType type) {
        lifecycle.readLock().lock();
        try {
            return closed ? 0 : statistics.getTickerCount(type);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Flushes memtables and closes RocksDB cleanly; the tier is unusable afterwards. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeRocksDb();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void closeRocksDb() {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            log.warn("disk tier {}: flushing the write-ahead log on close failed: {}", dir, e.getMessage());
        }
        handles.forEach(ColumnFamilyHandle::close);
        try {
            db.closeE();
        } catch (RocksDBException e) {
            log.warn("disk tier {}: close failed: {}", dir, e.getMessage());
        }
        writeOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
        bloom.close();
        dbOptions.close();
        statistics.close();
    }
}
