package dev.strata.loadtest;

import java.util.concurrent.locks.LockSupport;

/**
 * Monotonic time in nanoseconds, and waiting for a moment of it: the seam a test replaces with a
 * fake clock that jumps instead of waiting. Implementations are thread-safe.
 */
public interface Ticker {
    /** The system's monotonic clock ({@link System#nanoTime()}), waiting by parking the thread. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long read() {
            return System.nanoTime();
        }

        @Override
        public void awaitUntil(long nanoTime) throws InterruptedException {
            for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }

        @Override
        public String toString() {
            return "Ticker.SYSTEM";
        }
    };

    /** Now, in nanoseconds from an arbitrary origin. */
    long read();

    /** Returns once {@link #read()} is at least {@code nanoTime}; at once when it already is. */
    void awaitUntil(long nanoTime) throws InterruptedException;
}
