package dev.strata.loadtest;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to; waiting jumps it forward. */
final class FakeTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
        return now.get();
    }

    @Override
    public void awaitUntil(long nanoTime) {
        now.accumulateAndGet(nanoTime, Math::max);
    }

    void advance(long nanos) {
        now.addAndGet(nanos);
    }
}
