package dev.strata.purge;

import static java.util.Objects.requireNonNull;

/**
 * One record of the purge log: a purge as accepted, with its place in the log.
 *
 * @param seq its sequence number: 1 for the first entry, each next one 1 more
 * @param id its identifier, as answered to the operator and used in {@code /v1/purge/{id}}
 * @param timeMillis when it was accepted (epoch ms, the purge API's clock)
 * @param by the name of the token that made it
 * @param idempotencyKey the {@code Idempotency-Key} it was made with, namespaced by token; empty
 *     for none
 * @param request what it purges
 */
public record PurgeEntry(long seq, String id, long timeMillis, String by, String idempotencyKey, PurgeRequest request) {
    public PurgeEntry {
        requireNonNull(id, "id");
        requireNonNull(by, "by");
        requireNonNull(idempotencyKey, "idempotencyKey");
        requireNonNull(request, "request");
        if (seq < 1) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 1)");
        }
    }
}
