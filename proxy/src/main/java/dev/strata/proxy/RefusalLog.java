package dev.strata.proxy;

import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines for requests the WAF or a rate limit refused: at most one per rule (or limit) per
 * {@link #INTERVAL}, saying how many more that rule refused since its last line, so an attack or a
 * flood cannot flood the log. Every refusal is in the access log and the metrics anyway. The line
 * is written on the listener's worker threads, never on the I/O thread that refused the request.
 * Thread-safe.
 */
final class RefusalLog {
    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    /** At most one line per rule this often. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** The longest request target a line quotes. */
    private static final int MAX_TARGET = 200;

    private final String node;
    private final LongSupplier nanos;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** When a rule's next line is due, and the refusals it made since its last one. */
    private static final class Slot {
        /** A {@code nanos} reading: compared by difference, as {@link System#nanoTime()} must be. */
        final AtomicLong dueAt;

        final AtomicLong unlogged = new AtomicLong();

        Slot(long now) {
            dueAt = new AtomicLong(now);
        }
    }

    /**
     * @param node {@code ROLE NAME}, the start of every line
     * @param nanos a monotonic clock in nanoseconds
     */
    RefusalLog(String node, LongSupplier nanos) {
        this.node = node;
        this.nanos = nanos;
    }

    /** Records a refusal of {@code exchange} by {@code rules}; logs it, off this thread, when a line is due. */
    void refused(HttpServerExchange exchange, List<String> rules, String what, String detail) {
        String line = line(rules, what, describe(exchange), detail);
        if (line == null) {
            return;
        }
        try {
            exchange.getConnection().getWorker().execute(() -> log.warn(line));
        } catch (RejectedExecutionException e) {
            // the listener is stopping: the line goes, the refusal is counted all the same
        }
    }

    /**
     * Records a refusal by {@code rules} and returns its line when one is due for one of them, else
     * null: {@code NODE: WHAT REQUEST: DETAIL}, and how many refusals by these rules went unlogged.
     *
     * @param what what happened, e.g. {@code WAF blocked} or {@code rate limit "api" refused}
     * @param request the method, target, client and request id
     * @param detail what follows the request, e.g. the rules and the score
     */
    @Nullable
    String line(List<String> rules, String what, String request, String detail) {
        long now = nanos.getAsLong();
        boolean due = false;
        long unlogged = 0;
        for (String rule : rules) {
            Slot slot = slot(rule, now);
            long dueAt = slot.dueAt.get();
            if (now - dueAt >= 0 && slot.dueAt.compareAndSet(dueAt, now + INTERVAL.toNanos())) {
                due = true;
                unlogged += slot.unlogged.getAndSet(0);
            }
        }
        if (!due) {
            for (String rule : rules) {
                slot(rule, now).unlogged.incrementAndGet();
            }
            return null;
        }
        return node + ": " + what + " " + request + ": " + detail
                + (unlogged > 0 ? " (and " + unlogged + " more by the same rules since their last line)" : "");
    }

    /** The rule's slot; a new one is due at once. */
    private Slot slot(String rule, long now) {
        Slot slot = slots.get(rule);
        return slot != null ? slot : slots.computeIfAbsent(rule, r -> new Slot(now));
    }

    /** {@code GET /path?query from 192.0.2.1 (request ID)}, the target cut at {@value #MAX_TARGET} characters. */
    private static String describe(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        String target = exchange.getRequestURI() + (query.isEmpty() ? "" : "?" + query);
        return exchange.getRequestMethod() + " "
                + (target.length() > MAX_TARGET ? target.substring(0, MAX_TARGET) + "..." : target) + " from "
                + WafHandler.clientText(exchange) + " (request " + RequestIdHandler.of(exchange) + ")";
    }
}
