package dev.strata.purge;

import java.util.List;
import java.util.Optional;

/**
 * The durable, sequence-numbered log of purges: the API appends, every edge and shield reads from
 * the last entry it applied. Sequence numbers start at 1 and have no gaps; the log keeps a bounded
 * window of them (by count and age), {@link #oldestSeq()} to {@link #lastSeq()}. A node that has
 * applied less than {@code oldestSeq() - 1} has missed entries for good and must treat its whole
 * cache as stale.
 *
 * <p>Implementations are thread-safe; every method may block on storage (never call one on an I/O
 * thread) and throws {@link java.io.UncheckedIOException} when the storage cannot be read or
 * written. {@link RocksPurgeLog} is the embedded default, for one purge API process; {@link
 * JetStreamPurgeLog} keeps the log on a NATS JetStream stream that several purge API processes
 * share (docs/adr/0008-purge-log-on-jetstream.md).
 */
public interface PurgeLog extends AutoCloseable {
    /** What {@link #append} did. */
    record Appended(PurgeEntry entry, boolean repeated) {}

    /**
     * Appends a purge, durably, before returning; or, when {@code idempotencyKey} is not empty and
     * an entry made with it is still kept, returns that entry instead ({@code repeated}), also when
     * another process sharing the log made it.
     *
     * @param by the token's name
     * @param idempotencyKey the client's key, namespaced by token; empty for none
     * @throws java.io.UncheckedIOException when the storage cannot be reached in time; the entry may
     *     or may not have been appended (a repeat with the same key is safe)
     */
    Appended append(PurgeRequest request, String by, String idempotencyKey);

    /** Up to {@code limit} entries with a sequence number above {@code seq}, in order. */
    List<PurgeEntry> after(long seq, int limit);

    /** The entry with this id, if it is still in the log. */
    Optional<PurgeEntry> byId(String id);

    /** The sequence number of the last entry appended, 0 when none ever was. */
    long lastSeq();

    /** The sequence number of the oldest entry kept; {@code lastSeq() + 1} when none is kept. */
    long oldestSeq();

    /**
     * Whether the log can be reached now, as far as it knows without asking its storage: false while
     * a replicated log is disconnected from its servers. Cheap, never blocks; any thread.
     */
    default boolean available() {
        return true;
    }

    /**
     * Registers {@code listener} to run after every append, also one made by another process sharing
     * the log, on the appending thread or one of the log's own; it must return quickly.
     */
    void onAppend(Runnable listener);

    @Override
    void close();
}
