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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
 * <p><b>Group commit.</b> An append is on disk (a synchronous write batch: the write-ahead log is
 * fsync'ed) before it returns, so before the API answers 202. An fsync costs milliseconds, so
 * appends are not written one by one: an append takes the next sequence number and joins a queue
 * under a short lock, then waits (parked) until its entry is on disk. One thread, the log's
 * writer, takes <em>every</em> queued entry, writes them in one batch with one fsync and releases
 * all of their appenders. While one group is being written the next one gathers, so under load
 * each fsync carries every append that arrived during the previous one (MySQL's and PostgreSQL's
 * group commit, RocksDB's write groups), and a lone append still costs one fsync. Appenders never
 * contend for a lock held across an fsync. A failed write fails its group and every append
 * queued behind it, and their numbers are used again: nothing after the last durable entry
 * reached the disk, so numbers stay gapless. Reads run concurrently and see only durable entries.
 *
 * <p>The last {@value #RECENT} entries written are also kept in memory: nodes that follow the log
 * read from its tail, many times per second under a storm, and are answered without a RocksDB
 * iterator or decoding a stored entry. Older reads go to RocksDB.
 *
 * <p>Retention: after each group (and at open) the oldest entries go while there are more than
 * {@code retainEntries} or while the oldest is older than {@code retention}, with their id and
 * idempotency keys.
 */
public final class RocksPurgeLog implements PurgeLog {
    private static final Logger log = LoggerFactory.getLogger(RocksPurgeLog.class);
    private static final byte ENTRY = 'e';
    private static final byte ID = 'i';
    private static final byte KEY = 'k';
    private static final byte[] LAST = "mlast".getBytes(StandardCharsets.UTF_8);
    /** How many of the latest entries {@link #recent} keeps by default. */
    static final int RECENT = 4096;

    private final Path dir;
    private final Options options;
    private final WriteOptions syncWrites;
    private final RocksDB db;
    private final Clock clock;
    private final int retainEntries;
    private final Duration retention;
    private final int recentEntries;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Guards numbering and the queue, held briefly; the writer waits on it for appends. */
    private final Object appendLock = new Object();
    /** Appends numbered and not yet written, in sequence order; guarded by the append lock. */
    private final List<Queued> queue = new ArrayList<>();
    /** The latest entries written, by sequence number; added and trimmed under the append lock. */
    private final ConcurrentNavigableMap<Long, PurgeEntry> recent = new ConcurrentSkipListMap<>();
    /** The queued appends by idempotency key; guarded by the append lock. */
    private final Map<String, Queued> queuedKeys = new HashMap<>();

    /** The last sequence number given out: {@link #last} plus the queued appends; guarded by the append lock. */
    private long assigned;

    private volatile long last;
    private volatile long oldest;
    private volatile boolean closed;
    private @Nullable Thread writer;

    private RocksPurgeLog(
            Path dir,
            Options options,
            RocksDB db,
            Clock clock,
            int retainEntries,
            Duration retention,
            int recentEntries) {
        this.dir = dir;
        this.options = options;
        this.syncWrites = new WriteOptions().setSync(true);
        this.db = db;
        this.clock = clock;
        this.retainEntries = retainEntries;
        this.retention = retention;
        this.recentEntries = recentEntries;
    }

    /**
     * Opens (or creates) the log in {@code dir}.
     *
     * @param retainEntries the most entries kept
     * @param retention how long an entry is kept
     * @throws UncheckedIOException when the directory cannot be created or opened, naming it
     */
    public static RocksPurgeLog open(Path dir, Clock clock, int retainEntries, Duration retention) {
        return open(dir, clock, retainEntries, retention, RECENT);
    }

    /** As {@link #open(Path, Clock, int, Duration)}, keeping the latest {@code recentEntries} in memory. */
    static RocksPurgeLog open(Path dir, Clock clock, int retainEntries, Duration retention, int recentEntries) {
        RocksDB.loadLibrary();
        Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2);
        try {
            Files.createDirectories(dir);
            RocksDB db = RocksDB.open(options, dir.toString());
            RocksPurgeLog purgeLog =
                    new RocksPurgeLog(dir, options, db, clock, retainEntries, retention, recentEntries);
            purgeLog.load();
            purgeLog.startWriter();
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
        assigned = last;
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

    /** An append waiting for its group to be written. */
    private static final class Queued {
        final PurgeEntry entry;
        final CompletableFuture<Void> written = new CompletableFuture<>();

        Queued(PurgeEntry entry) {
            this.entry = entry;
        }
    }

    @Override
    public Appended append(PurgeRequest request, String by, String idempotencyKey) {
        Queued mine;
        Queued sameKey = null;
        synchronized (appendLock) {
            checkOpen();
            if (!idempotencyKey.isEmpty()) {
                sameKey = queuedKeys.get(idempotencyKey);
                PurgeEntry earlier = sameKey == null ? bySeqKey(textKey(KEY, idempotencyKey)) : null;
                // A key whose entry has aged out (the writer trims after its next group) is unknown.
                if (earlier != null && !agedOut(earlier)) {
                    return new Appended(earlier, true);
                }
            }
            if (sameKey == null) {
                long seq = ++assigned;
                mine = new Queued(
                        new PurgeEntry(seq, UUID.randomUUID().toString(), clock.millis(), by, idempotencyKey, request));
                queue.add(mine);
                if (!idempotencyKey.isEmpty()) {
                    queuedKeys.put(idempotencyKey, mine);
                }
                appendLock.notifyAll(); // the writer
            } else {
                mine = sameKey;
            }
        }
        if (sameKey != null) {
            awaitWritten(sameKey); // the same key, still on its way to disk: answer it once it is there
            return new Appended(sameKey.entry, true);
        }
        awaitWritten(mine);
        for (Runnable listener : listeners) {
            listener.run();
        }
        return new Appended(mine.entry, false);
    }

    /** Returns once {@code queued} is on disk; throws its group's failure. */
    private static void awaitWritten(Queued queued) {
        try {
            queued.written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException failure ? failure : e;
        }
    }

    private void startWriter() {
        Thread thread = new Thread(this::writeGroups, "purge-log-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    /**
     * The writer's loop: writes whatever is queued as one group, until closed and drained. Appenders
     * wait for it, so it stops only then: an interrupt (nothing here sends one) is kept for the end.
     */
    private void writeGroups() {
        boolean interrupted = false;
        while (true) {
            List<Queued> group;
            synchronized (appendLock) {
                while (queue.isEmpty() && !closed) {
                    try {
                        appendLock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (queue.isEmpty()) {
                    break;
                }
                group = List.copyOf(queue);
                queue.clear();
            }
            write(group);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code group} in one synchronous batch and releases its appenders; on the writer's thread. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer thread
    private void write(List<Queued> group) {
        long first = group.get(0).entry.seq();
        long lastInGroup = group.get(group.size() - 1).entry.seq();
        try (WriteBatch batch = new WriteBatch()) {
            for (Queued queued : group) {
                PurgeEntry entry = queued.entry;
                batch.put(entryKey(entry.seq()), PurgeJson.bytes(PurgeJson.toJson(entry)));
                batch.put(textKey(ID, entry.id()), seqBytes(entry.seq()));
                if (!entry.idempotencyKey().isEmpty()) {
                    batch.put(textKey(KEY, entry.idempotencyKey()), seqBytes(entry.seq()));
                }
            }
            batch.put(LAST, seqBytes(lastInGroup));
            db.write(syncWrites, batch);
        } catch (RocksDBException | RuntimeException e) {
            UncheckedIOException failure = new UncheckedIOException(
                    "purge log " + dir + ": append failed: " + e.getMessage(), new IOException(e));
            List<Queued> failed = new ArrayList<>(group);
            synchronized (appendLock) {
                // Appends queued behind the group were numbered after it: they fail too, and every
                // number after the last durable one is given out again.
                failed.addAll(queue);
                queue.clear();
                assigned = last;
                failed.forEach(queued -> queuedKeys.remove(queued.entry.idempotencyKey(), queued));
            }
            failed.forEach(queued -> queued.written.completeExceptionally(failure));
            return;
        }
        synchronized (appendLock) {
            for (Queued queued : group) {
                recent.put(queued.entry.seq(), queued.entry);
            }
            while (recent.size() > recentEntries) {
                recent.pollFirstEntry();
            }
            last = lastInGroup;
            if (oldest > first) {
                oldest = first;
            }
            group.forEach(queued -> queuedKeys.remove(queued.entry.idempotencyKey(), queued));
            trim();
            recent.headMap(oldest).clear();
        }
        group.forEach(queued -> queued.written.complete(null));
    }

    /** Whether retention drops {@code entry}: beyond the count kept, or older than the retention. */
    private boolean agedOut(PurgeEntry entry) {
        return entry.seq() < oldest
                || last - entry.seq() + 1 > retainEntries
                || entry.timeMillis() < clock.millis() - retention.toMillis();
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
        long from = Math.max(seq + 1, oldest);
        List<PurgeEntry> cached = fromRecent(from, limit);
        return cached != null ? cached : readAll(from, limit);
    }

    /**
     * Up to {@code limit} entries from {@code from} on out of {@link #recent}; null when they are
     * not all there (older than its first entry, or trimmed from it while being read).
     */
    private @Nullable List<PurgeEntry> fromRecent(long from, int limit) {
        Map.Entry<Long, PurgeEntry> first = recent.firstEntry();
        if (first == null || first.getKey() > from) {
            return from > last ? List.of() : null;
        }
        List<PurgeEntry> entries = new ArrayList<>(Math.min(limit, 64));
        for (PurgeEntry entry : recent.tailMap(from, true).values()) {
            if (entries.size() == limit) {
                break;
            }
            entries.add(entry);
        }
        boolean whole = entries.isEmpty() ? from > last : entries.get(0).seq() == from;
        return whole ? entries : null;
    }

    /** Up to {@code limit} entries from {@code from} on, read from RocksDB. */
    private List<PurgeEntry> readAll(long from, int limit) {
        List<PurgeEntry> entries = new ArrayList<>();
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

    /**
     * Refuses new appends, lets the writer write those already numbered, then closes RocksDB; the
     * log is unusable afterwards. Call once no request uses it.
     */
    @Override
    public void close() {
        Thread thread;
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
            appendLock.notifyAll();
            thread = writer;
        }
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("purge log {}: interrupted while the last appends were written", dir);
            }
        }
        synchronized (appendLock) {
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
