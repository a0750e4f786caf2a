package dev.strata.cache.collapse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.strata.cache.key.CacheKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One fetch per URL at a time (Varnish's waiting list, nginx's {@code proxy_cache_lock}): the first
 * miss for a key becomes its {@link Leader} and fetches; later ones get a {@link Waiter} whose
 * future completes when the leader {@linkplain Leader#release releases} them, after which they look
 * the key up again — normally a hit on what the leader stored.
 *
 * <p>A leader that learns its answer cannot be stored releases with {@code pass}: its waiters
 * fetch for themselves at once, and for the hit-for-pass time later misses of the key get {@link
 * Pass} instead of waiting, so uncacheable URLs are never serialised. How long a waiter waits is
 * its caller's business (a timer of its own; no shared scheduler, whose lock an I/O thread must not
 * take). An error is never handed to waiters, who look up again and, on a miss, elect a new leader
 * among themselves. Thread-safe and non-blocking.
 */
public final class RequestCollapser {
    /** What a request does about a key it missed. */
    public sealed interface Ticket permits Leader, Waiter, Pass {}

    /** Fetch, then {@link #release}. */
    public final class Leader implements Ticket {
        private final CacheKey key;
        private final CompletableFuture<Void> released = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();

        private Leader(CacheKey key) {
            this.key = key;
        }

        /**
         * Ends the fetch and wakes its waiters; only the first call counts.
         *
         * @param pass the answer was not stored (uncacheable or too large): waiters fetch for
         *     themselves and the key is not collapsed for the hit-for-pass time
         */
        public void release(boolean pass) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            if (pass && hitForPassNanos > 0) {
                passUntil.put(key, ticker.getAsLong() + hitForPassNanos);
            }
            flights.remove(key, this);
            released.complete(null);
        }
    }

    /** Wait for {@link #released()}, then look up again. */
    public static final class Waiter implements Ticket {
        private final CompletionStage<Void> released;

        private Waiter(CompletionStage<Void> released) {
            this.released = released;
        }

        /** Completes, on the releasing thread, when the leader releases. */
        public CompletionStage<Void> released() {
            return released;
        }
    }

    /** Fetch without collapsing (the key recently answered with something not storable). */
    public static final class Pass implements Ticket {
        private static final Pass INSTANCE = new Pass();

        private Pass() {}
    }

    private final Map<CacheKey, Leader> flights = new ConcurrentHashMap<>();
    private final Cache<CacheKey, Long> passUntil;
    private final long hitForPassNanos;
    private final LongSupplier ticker;
    private final LongAdder collapsed = new LongAdder();
    private final LongAdder passes = new LongAdder();

    /**
     * @param hitForPass how long a key released with {@code pass} is not collapsed
     * @param ticker nanoseconds, for hit-for-pass ({@code System::nanoTime} outside tests)
     */
    public RequestCollapser(Duration hitForPass, LongSupplier ticker) {
        this.hitForPassNanos = hitForPass.toNanos();
        this.ticker = ticker;
        this.passUntil = Caffeine.newBuilder().maximumSize(100_000).build();
    }

    /** The ticket of a request that missed {@code key}. */
    public Ticket join(CacheKey key) {
        Long until = passUntil.getIfPresent(key);
        if (until != null) {
            if (until - ticker.getAsLong() > 0) {
                passes.increment();
                return Pass.INSTANCE;
            }
            passUntil.asMap().remove(key, until);
        }
        Leader candidate = new Leader(key);
        Leader leader = flights.putIfAbsent(key, candidate);
        if (leader == null) {
            return candidate;
        }
        collapsed.increment();
        return new Waiter(leader.released.minimalCompletionStage());
    }

    /** Requests that waited for another's fetch instead of fetching. */
    public long collapsedCount() {
        return collapsed.sum();
    }

    /** Misses not collapsed because their key was marked hit-for-pass. */
    public long passCount() {
        return passes.sum();
    }

    /** Fetches under way. */
    public int inFlight() {
        return flights.size();
    }
}
