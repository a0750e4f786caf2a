package dev.strata.purge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge log in an embedded RocksDB. Keys, all in the default column family:
 *
 * <ul>
 *   <li>{@code e} + the sequence number (8 bytes, big-endian, so keys sort by it) → the entry's
 *       JSON ({@link PurgeJson});
 *   <li>{@code i} + id → sequence number; {@code k} + idempotency key → sequence number;
 *   <li>{@code m last} → the last sequence number ever appended, so numbers are never reused even
 *       after every entry has been trimmed.
 * </ul>
 *
 * <p>An append is one synchronous write batch (fsync'ed write-ahead log): it is on disk before the
 * API answers 202. Appends are serialized by a lock; reads run concurrently. Retention: before and
 * after each append (and at open) the oldest entries go while there are more than {@code
 * retainEntries} or while the oldest is older than {@code retention}, with their id and idempotency
 * keys.
 */
public final class RocksPurgeLog implements PurgeLog {
    private static final Logger log = LoggerFactory.getLogger(RocksPurgeLog.class);
    private static final byte ENTRY = 'e';
    private static final byte ID = 'i';
    private static final byte KEY = 'k';
    private static final byte[] LAST = "mlast".getBytes(StandardCharsets.UTF_8);

    private final Path dir;
    private final Options options;
    private final WriteOptions syncWrites;
    private final RocksDB db;
    private final Clock clock;
    private final int retainEntries;
    private final Duration retention;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Object appendLock = new Object();

    private volatile long last;
    private volatile long oldest;
    private volatile boolean closed;

    private RocksPurgeLog(Path dir, Options options, RocksDB db, Clock clock, int retainEntries, Duration retention) {
        this.dir = dir;
        this.options = options;
        this.syncWrites = new WriteOptions().setSync(true);
        this.db = db;
        this.clock = clock;
        this.retainEntries = retainEntries;
        this.retention = retention;
    }

    /**
     * Opens (or creates) the log in {@code dir}.
     *
     * @param retainEntries the most entries kept
     * @param retention how long an entry is kept
     * @throws UncheckedIOException when the directory cannot be created or opened, naming it
     */
    public static RocksPurgeLog open(Path dir, Clock clock, int retainEntries, Duration retention) {
        RocksDB.loadLibrary();
        Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2);
        try {
            Files.createDirectories(dir);
            RocksDB db = RocksDB.open(options, dir.toString());
            RocksPurgeLog purgeLog = new RocksPurgeLog(dir, options, db, clock, retainEntries, retention);
            purgeLog.load();
            return purgeLog;
        } catch (IOException e) {
            options.close();
            throw new UncheckedIOException("purge log " + dir + " cannot be created: " + e.getMessage(), e);
        } catch (RocksDBException e) {
            options.close();
            throw new UncheckedIOException(
                    "purge log " + dir + " cannot be opened: " + e.getMessage(), new IOException(e));
        }
    }

    private void load() throws RocksDBException {
        byte[] lastBytes = db.get(LAST);
        last = lastBytes == null ? 0 : ByteBuffer.wrap(lastBytes).getLong();
        oldest = last + 1;
        try (RocksIterator iterator = db.newIterator()) {
            iterator.seek(entryKey(1));
            if (iterator.isValid() && iterator.key().length == 9 && iterator.key()[0] == ENTRY) {
                oldest = ByteBuffer.wrap(iterator.key(), 1, 8).getLong();
            }
            iterator.status();
        }
        synchronized (appendLock) {
            trim();
        }
        log.info("purge log {}: entries {} to {}", dir, oldest, last);
    }

    private static byte[] entryKey(long seq) {
        return ByteBuffer.allocate(9).put(ENTRY).putLong(seq).array();
    }

    private static byte[] textKey(byte kind, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(bytes.length + 1).put(kind).put(bytes).array();
    }

    private static byte[] seqBytes(long seq) {
        return ByteBuffer.allocate(Long.BYTES).putLong(seq).array();
    }

    @Override
    public Appended append(PurgeRequest request, String by, String idempotencyKey) {
        Appended appended;
        synchronized (appendLock) {
            checkOpen();
            trim(); // a key whose entry has aged out is no longer known
            if (!idempotencyKey.isEmpty()) {
                PurgeEntry earlier = bySeqKey(textKey(KEY, idempotencyKey));
                if (earlier != null) {
                    return new Appended(earlier, true);
                }
            }
            long seq = last + 1;
            PurgeEntry entry =
                    new PurgeEntry(seq, UUID.randomUUID().toString(), clock.millis(), by, idempotencyKey, request);
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(entryKey(seq), PurgeJson.bytes(PurgeJson.toJson(entry)));
                batch.put(textKey(ID, entry.id()), seqBytes(seq));
                if (!idempotencyKey.isEmpty()) {
                    batch.put(textKey(KEY, idempotencyKey), seqBytes(seq));
                }
                batch.put(LAST, seqBytes(seq));
                db.write(syncWrites, batch);
            } catch (RocksDBException e) {
                throw new UncheckedIOException(
                        "purge log " + dir + ": append failed: " + e.getMessage(), new IOException(e));
            }
            last = seq;
            if (oldest > seq) {
                oldest = seq;
            }
            trim();
            appended = new Appended(entry, false);
        }
        for (Runnable listener : listeners) {
            listener.run();
        }
        return appended;
    }

    /** Drops the oldest entries beyond the count or older than the retention; under the append lock. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the append lock is held
    private void trim() {
        long cutoff = clock.millis() - retention.toMillis();
        try {
            while (oldest <= last) {
                PurgeEntry first = read(oldest);
                boolean tooMany = last - oldest + 1 > retainEntries;
                if (!tooMany && first != null && first.timeMillis() >= cutoff) {
                    return;
                }
                try (WriteBatch batch = new WriteBatch()) {
                    batch.delete(entryKey(oldest));
                    if (first != null) {
                        batch.delete(textKey(ID, first.id()));
                        if (!first.idempotencyKey().isEmpty()) {
                            batch.delete(textKey(KEY, first.idempotencyKey()));
                        }
                    }
                    db.write(syncWrites, batch);
                }
                oldest++;
            }
        } catch (RocksDBException e) {
            log.warn("purge log {}: trimming failed (retried on the next append): {}", dir, e.getMessage());
        }
    }

    private @Nullable PurgeEntry read(long seq) throws RocksDBException {
        byte[] bytes = db.get(entryKey(seq));
        if (bytes == null) {
            return null;
        }
        try {
            return PurgeJson.fromJson(PurgeJson.parse(bytes));
        } catch (IllegalArgumentException e) {
            log.warn("purge log {}: entry {} is unreadable: {}", dir, seq, e.getMessage());
            return null;
        }
    }

    private @Nullable PurgeEntry bySeqKey(byte[] key) {
        try {
            byte[] seq = db.get(key);
            return seq == null || seq.length != Long.BYTES
                    ? null
                    : read(ByteBuffer.wrap(seq).getLong());
        } catch (RocksDBException e) {
            throw new UncheckedIOException("purge log " + dir + ": read failed: " + e.getMessage(), new IOException(e));
        }
    }

    @Override
    public List<PurgeEntry> after(long seq, int limit) {
        checkOpen();
        List<PurgeEntry> entries = new ArrayList<>();
        long from = Math.max(seq + 1, oldest);
        try (RocksIterator iterator = db.newIterator()) {
            for (iterator.seek(entryKey(from)); iterator.isValid() && entries.size() < limit; iterator.next()) {
                byte[] key = iterator.key();
                if (key.length != 9 || key[0] != ENTRY) {
                    break;
                }
                try {
                    entries.add(PurgeJson.fromJson(PurgeJson.parse(iterator.value())));
                } catch (IllegalArgumentException e) {
                    log.warn("purge log {}: skipping an unreadable entry: {}", dir, e.getMessage());
                }
            }
            iterator.status();
        } catch (RocksDBException e) {
            throw new UncheckedIOException("purge log " + dir + ": read failed: " + e.getMessage(), new IOException(e));
        }
        return entries;
    }

    @Override
    public Optional<PurgeEntry> byId(String id) {
        checkOpen();
        return Optional.ofNullable(bySeqKey(textKey(ID, id)));
    }

    @Override
    public long lastSeq() {
        return last;
    }

    @Override
    public long oldestSeq() {
        return oldest;
    }

    @Override
    public void onAppend(Runnable listener) {
        listeners.add(listener);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("purge log " + dir + " is closed");
        }
    }

    /** Closes RocksDB; the log is unusable afterwards. Call once no request uses it. */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.flushWal(true);
                db.closeE();
            } catch (RocksDBException e) {
                log.warn("purge log {}: close failed: {}", dir, e.getMessage());
            }
            syncWrites.close();
            options.close();
        }
    }
}
