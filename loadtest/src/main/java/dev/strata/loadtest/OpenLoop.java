package dev.strata.loadtest;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The schedule of an open loop: call {@code i} is due at {@code start + i / rate}, whatever
 * happened to the earlier ones, and at most {@code inFlight} calls are outstanding; one due while
 * all are busy waits for a free slot (its latency, counted by the caller from its due time, keeps
 * counting). See {@link LoadRun} for why latency counts from the due time.
 */
final class OpenLoop {
    /** Starts call {@code i}, due at {@code intended}; the future completes when it ended. */
    interface Call {
        CompletableFuture<?> start(long i, long intended);
    }

    private OpenLoop() {}

    /**
     * Runs the schedule on the calling thread until {@code limit} calls or {@code deadline}, then
     * waits at most {@code drain} for the calls still outstanding.
     *
     * @return how many calls were due before the deadline but never started, because all
     *     {@code inFlight} slots stayed busy until then
     */
    static long run(
            Ticker ticker, long start, long deadline, double rate, long limit, int inFlight, Duration drain, Call call)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        double interval = 1e9 / rate;
        long unsent = 0;
        for (long i = 0; i < limit; i++) {
            long intended = start + (long) (i * interval);
            if (intended - deadline >= 0) {
                break;
            }
            ticker.awaitUntil(intended);
            if (!permits.tryAcquire()) {
                long wait = deadline - ticker.read();
                if (wait <= 0 || !permits.tryAcquire(wait, NANOSECONDS)) {
                    long dueBeforeDeadline = (long) Math.ceil((deadline - intended) / interval);
                    unsent = Math.min(limit - i, dueBeforeDeadline);
                    break;
                }
            }
            call.start(i, intended).whenComplete((ignored, failure) -> permits.release());
        }
        permits.tryAcquire(inFlight, drain.toNanos(), NANOSECONDS);
        return unsent;
    }
}
