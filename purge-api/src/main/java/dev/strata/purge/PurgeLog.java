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
 * thread). {@link RocksPurgeLog} is the embedded default; a replicated one (issue #6 names NATS
 * JetStream) can replace it behind this interface.
 */
public interface PurgeLog extends AutoCloseable {
    /** What {@link #append} did. */
    record Appended(PurgeEntry entry, boolean repeated) {}

    /**
     * Appends a purge, durably, before returning; or, when {@code idempotencyKey} is not empty and
     * an entry was made with it, returns that entry instead ({@code repeated}).
     *
     * @param by the token's name
     * @param idempotencyKey the client's key, namespaced by token; empty for none
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

    /** Registers {@code listener} to run (on the appending thread, quickly) after every append. */
    void onAppend(Runnable listener);

    @Override
    void close();
}
