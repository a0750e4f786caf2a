package dev.strata.proxy.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket as the generic cell rate algorithm (GCRA, ITU-T I.371; the form of Redis's
 * redis-cell and of Envoy's and nginx's limiters): instead of a token count refilled by a timer, the
 * bucket keeps one number, the <em>theoretical arrival time</em> (TAT) at which it would be full
 * again if no more requests came. A request at {@code now} is allowed when {@code max(TAT, now) -
 * now} is at most the tolerance {@code (burst - 1) × interval}, and moves the TAT one {@code
 * interval} ({@code 1 s / rate}) later. So {@code burst} requests pass at once after a quiet
 * spell, then one per interval; a refused request waits {@code max(TAT, now) - tolerance - now}.
 *
 * <p>The TAT is one {@code long}, updated by compare-and-set: no lock, no allocation, and two
 * threads taking tokens at once both see a consistent bucket. Thread-safe.
 */
final class TokenBucket {
    private static final VarHandle TAT;

    static {
        try {
            TAT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "tat", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Nanoseconds on the limiter's ticker; starts in the past: full. */
    @SuppressWarnings("unused") // through TAT
    private volatile long tat = Long.MIN_VALUE / 2;

    /**
     * Takes a token.
     *
     * @param now the ticker's time, in nanoseconds
     * @param interval nanoseconds per token (1 s / rate), at least 1
     * @param tolerance {@code (burst - 1) × interval}
     * @return 0 when a token was taken, else the nanoseconds until one will be there (more than 0)
     */
    long tryTake(long now, long interval, long tolerance) {
        while (true) {
            long current = (long) TAT.getVolatile(this);
            long base = Math.max(current, now);
            long ahead = base - now;
            if (ahead > tolerance) {
                return ahead - tolerance;
            }
            if (TAT.compareAndSet(this, current, base + interval)) {
                return 0;
            }
        }
    }

    /** Gives back a token taken by {@link #tryTake} for a request refused by another limit after all. */
    void giveBack(long interval) {
        TAT.getAndAdd(this, -interval);
    }
}
