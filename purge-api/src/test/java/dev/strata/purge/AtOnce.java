package dev.strata.purge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Races tasks: each on a thread of its own, all released by one latch. */
final class AtOnce {
    /** One racer; {@code index} counts from 0. */
    interface Racer {
        void run(int index) throws Exception;
    }

    private AtOnce() {}

    /** Runs {@code racer} on {@code threads} threads at once; waits up to 60 s for all, rethrowing a failure. */
    static void run(int threads, Racer racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                done.add(pool.submit(() -> {
                    go.await();
                    racer.run(index);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
