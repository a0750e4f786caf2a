package dev.strata.proxy;

import dev.strata.cache.key.CacheKey;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The disk executor: a fixed set of single-threaded lanes with bounded queues, a key always on the
 * same lane. Work for one key (lookup, store, invalidate) therefore runs in the order it was
 * submitted, so an invalidation can never be overtaken by an older store; different keys run in
 * parallel. A lane past its bound rejects ordinary work with {@link RejectedExecutionException};
 * work that must not be lost ({@link #executeAlways}) is queued past the bound.
 */
final class DiskLanes {
    private final ThreadPoolExecutor[] lanes;
    private final int queuePerLane;

    DiskLanes(String owner, int laneCount, int queuePerLane) {
        this.queuePerLane = queuePerLane;
        lanes = new ThreadPoolExecutor[laneCount];
        for (int i = 0; i < laneCount; i++) {
            String name = owner + "-disk-" + (i + 1);
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Runs {@code task} on the lane of {@code key}, after the work queued there for it before. */
    void execute(CacheKey key, Runnable task) {
        ThreadPoolExecutor lane = lane(key);
        if (lane.getQueue().size() >= queuePerLane) {
            throw new RejectedExecutionException("disk lane full (" + queuePerLane + " queued)");
        }
        lane.execute(task);
    }

    /** Like {@link #execute}, but never rejected for a full lane (only after shutdown). */
    void executeAlways(CacheKey key, Runnable task) {
        lane(key).execute(task);
    }

    private ThreadPoolExecutor lane(CacheKey key) {
        return lanes[Math.floorMod(key.hashCode(), lanes.length)];
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
