package dev.strata.proxy;

import dev.strata.purge.PurgeFollower;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A shield's half of the purge ordering guarantee (docs/adr/0007-purge-log-delivery.md): an edge
 * sends the last purge-log sequence it applied in {@value #HEADER}; a shield that has applied less
 * holds the request, without a thread, until its follower catches up, so an edge never refills a
 * purged object from a shield that still holds it. When the shield does not catch up within the
 * bound it answers 503 (the edge then serves stale if it may, or fails over), never the old object.
 * Runs on the I/O thread; cheap unless the shield is behind.
 */
final class PurgeSeqGate implements HttpHandler {
    /** The request field an edge names its applied purge-log sequence in. */
    static final String HEADER = "X-Strata-Purge-Seq";

    private static final HttpString HEADER_NAME = new HttpString(HEADER);

    private final PurgeFollower follower;
    private final Duration bound;
    private final Responses responses;
    private final HttpHandler next;

    /** How far beyond the log this shield has seen an edge may plausibly be (entries). */
    private static final long FAR_AHEAD = 10_000;

    PurgeSeqGate(PurgeFollower follower, Duration bound, Responses responses, HttpHandler next) {
        this.follower = follower;
        this.bound = bound;
        this.responses = responses;
        this.next = next;
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the timer answers when the future never completes
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String value = exchange.getRequestHeaders().getFirst(HEADER_NAME);
        long needed;
        try {
            needed = value == null ? 0 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            needed = 0; // not from one of our edges: nothing to wait for
        }
        if (needed <= follower.appliedSeq()) {
            next.handleRequest(exchange);
            return;
        }
        long seq = needed;
        if (seq > follower.lastSeenSeq() + FAR_AHEAD) {
            // No edge is that far ahead of the log this shield reads: a forged or broken header,
            // answered now rather than held.
            responses.error(
                    exchange, 503, "Service Unavailable (purge log sequence " + seq + " is beyond this shield's log)");
            return;
        }
        // Whichever comes first, the purge applied or the bound, takes the exchange; the loser
        // finds nothing, so a future that completes late holds no exchange meanwhile.
        AtomicReference<@Nullable HttpServerExchange> held = new AtomicReference<>(exchange);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            exchange.getIoThread()
                    .executeAfter(
                            () -> {
                                HttpServerExchange waiting = held.getAndSet(null);
                                if (waiting != null) {
                                    responses.error(
                                            waiting,
                                            503,
                                            "Service Unavailable (purge log sequence " + seq + " not applied yet)");
                                }
                            },
                            bound.toMillis(),
                            TimeUnit.MILLISECONDS);
            follower.awaitApplied(seq).thenRun(() -> {
                HttpServerExchange waiting = held.getAndSet(null);
                if (waiting != null) {
                    waiting.dispatch(waiting.getIoThread(), next);
                }
            });
        });
    }

    @Override
    public String toString() {
        return "purge sequence gate";
    }
}
