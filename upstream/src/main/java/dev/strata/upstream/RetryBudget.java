package dev.strata.upstream;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many requests may be tried again on another host: over the last {@value #WINDOW_SECONDS}
 * seconds, at most {@code ratio} retries per request plus {@code minPerSecond} retries per second,
 * as Finagle's {@code RetryBudget} and Envoy's retry budgets. A healthy pool hardly retries, so the
 * budget is rarely felt; when a pool fails wholesale, retries stop at a fifth of the traffic (the
 * default) instead of multiplying it by the number of hosts, and the floor still lets a quiet node
 * fail over.
 *
 * <p>Counts are kept per second in a ring of {@value #WINDOW_SECONDS} buckets, read from a
 * nanosecond ticker. Thread-safe: calls are serialized, a few additions each.
 */
final class RetryBudget {
    static final int WINDOW_SECONDS = 10;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double ratio;
    private final int minPerSecond;
    private final LongSupplier ticker;
    private final long[] requests = new long[WINDOW_SECONDS];
    private final long[] retries = new long[WINDOW_SECONDS];
    private long second;

    /**
     * @param ratio retries allowed per request, 0 to 1
     * @param minPerSecond retries allowed per second whatever the traffic, at least 0
     * @param ticker monotonic nanoseconds, such as {@code System::nanoTime}
     */
    RetryBudget(double ratio, int minPerSecond, LongSupplier ticker) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0 to 1)");
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("minPerSecond: " + minPerSecond + " (expected: >= 0)");
        }
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.ticker = ticker;
        this.second = Math.floorDiv(ticker.getAsLong(), NANOS_PER_SECOND);
    }

    /** Counts one request (its first attempt). */
    synchronized void request() {
        requests[roll()]++;
    }

    /** Takes one retry from the budget; false, taking nothing, when it is spent. */
    synchronized boolean tryRetry() {
        int now = roll();
        long requested = 0;
        long retried = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            requested += requests[i];
            retried += retries[i];
        }
        if (retried + 1 > ratio * requested + (double) minPerSecond * WINDOW_SECONDS) {
            return false;
        }
        retries[now]++;
        return true;
    }

    /** Clears the buckets of the seconds that passed; returns the current second's bucket. */
    private int roll() {
        long now = Math.floorDiv(ticker.getAsLong(), NANOS_PER_SECOND);
        if (now > second) {
            long passed = Math.min(now - second, WINDOW_SECONDS);
            for (long s = now - passed + 1; s <= now; s++) {
                int bucket = (int) Math.floorMod(s, (long) WINDOW_SECONDS);
                requests[bucket] = 0;
                retries[bucket] = 0;
            }
            second = now;
        }
        return (int) Math.floorMod(second, (long) WINDOW_SECONDS);
    }

    @Override
    public String toString() {
        return "retry budget " + ratio + " per request + " + minPerSecond + "/s";
    }
}
