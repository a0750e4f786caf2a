package dev.strata.proxy;

import dev.strata.cache.key.CacheKey;
import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The disk executor: a fixed set of single-threaded lanes with bounded queues, a key always on the
 * same lane. Work for one key (lookup, store, invalidate) therefore runs in the order it was
 * submitted, so an invalidation can never be overtaken by an older store; different keys run in
 * parallel. A lane past its bound rejects ordinary work with {@link RejectedExecutionException};
 * work that must not be lost ({@link #executeAlways}) is queued past the bound.
 *
 * <p>Submitting never takes a lock, since I/O threads submit: the queues are lock-free ({@link
 * LinkedTransferQueue}; a {@code LinkedBlockingQueue}'s put lock parked an I/O thread under a storm
 * of misses), each lane's thread is started up front, and the bound is a counter of queued tasks.
 */
final class DiskLanes {
    private final ThreadPoolExecutor[] lanes;
    private final AtomicInteger[] queued;
    private final int queuePerLane;

    DiskLanes(String owner, int laneCount, int queuePerLane) {
        this.queuePerLane = queuePerLane;
        lanes = new ThreadPoolExecutor[laneCount];
        queued = new AtomicInteger[laneCount];
        for (int i = 0; i < laneCount; i++) {
            String name = owner + "-disk-" + (i + 1);
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedTransferQueue<>(), task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
            lanes[i].prestartCoreThread();
            queued[i] = new AtomicInteger();
        }
    }

    /** Runs {@code task} on the lane of {@code key}, after the work queued there for it before. */
    void execute(CacheKey key, Runnable task) {
        int lane = lane(key);
        if (queued[lane].incrementAndGet() > queuePerLane) {
            queued[lane].decrementAndGet();
            throw new RejectedExecutionException("disk lane full (" + queuePerLane + " queued)");
        }
        submit(lane, task);
    }

    /** Like {@link #execute}, but never rejected for a full lane (only after shutdown). */
    void executeAlways(CacheKey key, Runnable task) {
        int lane = lane(key);
        queued[lane].incrementAndGet();
        submit(lane, task);
    }

    private void submit(int lane, Runnable task) {
        AtomicInteger count = queued[lane];
        try {
            lanes[lane].execute(() -> {
                count.decrementAndGet();
                task.run();
            });
        } catch (RejectedExecutionException e) {
            count.decrementAndGet();
            throw e;
        }
    }

    private int lane(CacheKey key) {
        return Math.floorMod(key.hashCode(), lanes.length);
    }

    /** Stops taking work and drops what is queued; for a node that failed to start. */
    void shutdownNow() {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdownNow();
        }
    }

    /** Stops taking work and waits up to {@code deadline} for the queued work; true when done. */
    boolean shutdown(Duration deadline) throws InterruptedException {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdown();
        }
        long end = System.nanoTime() + deadline.toNanos();
        for (ThreadPoolExecutor lane : lanes) {
            if (!lane.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }
}
