package dev.strata.proxy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Garbage-collection meters read from the JVM's management beans when scraped, so that a
 * collection costs the node nothing beyond the collection itself.
 *
 * <p>Micrometer's {@code JvmGcMetrics} listens for the JVM's notification of every collection. The
 * JVM's notification thread then builds each notification's {@code GcInfo}, and the listener
 * runs on the same thread. On a 1 KiB hit load pinned to one core that took about 0.55 ms after
 * each young collection of about 0.7 ms (11 collections in 5 s, per-thread {@code schedstat}), so
 * every pause the I/O thread saw was nearly twice as long. Nothing here registers a listener, and
 * the JVM only builds notifications for a collector that has one.
 *
 * <ul>
 *   <li>{@code jvm.gc.pause}: per collector ({@code gc}), the collections and the time its bean
 *       reports; without Micrometer's {@code action} and {@code cause}, which only the
 *       notifications carry.
 *   <li>{@code jvm.gc.memory.allocated}: bytes allocated on the heap by every thread since the JVM
 *       started, from the thread bean's running total (when the JVM keeps one).
 *   <li>{@code jvm.gc.live.data.size} and {@code jvm.gc.max.data.size}: the long-lived pool's
 *       usage after its last collection, and its maximum.
 * </ul>
 *
 * Micrometer's {@code jvm.gc.memory.promoted} needs each collection's before and after, so it is
 * gone.
 */
final class JvmGcMeters {
    private JvmGcMeters() {}

    static void bindTo(MeterRegistry registry) {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionTimer.builder(
                            "jvm.gc.pause",
                            collector,
                            bean -> Math.max(0, bean.getCollectionCount()),
                            bean -> Math.max(0, bean.getCollectionTime()),
                            TimeUnit.MILLISECONDS)
                    .tags("gc", collector.getName())
                    .description("Garbage collections and the time spent in them, per collector")
                    .register(registry);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean counting
                && counting.isThreadAllocatedMemorySupported()
                && counting.isThreadAllocatedMemoryEnabled()) {
            FunctionCounter.builder(
                            "jvm.gc.memory.allocated",
                            counting,
                            bean -> Math.max(0, bean.getTotalThreadAllocatedBytes()))
                    .baseUnit("bytes")
                    .description("Bytes allocated on the heap by every thread since the JVM started")
                    .register(registry);
        }
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && isLongLived(pool.getName())) {
                Gauge.builder("jvm.gc.live.data.size", pool, JvmGcMeters::usedAfterCollection)
                        .baseUnit("bytes")
                        .description("Size of the long-lived heap pool after its last collection")
                        .register(registry);
                Gauge.builder("jvm.gc.max.data.size", pool, p -> p.getUsage().getMax())
                        .baseUnit("bytes")
                        .description("Maximum size of the long-lived heap pool")
                        .register(registry);
                return;
            }
        }
    }

    private static double usedAfterCollection(MemoryPoolMXBean pool) {
        MemoryUsage after = pool.getCollectionUsage();
        return after == null ? Double.NaN : after.getUsed();
    }

    /** The heap pool where long-lived objects end: the old generation, or a single-generation heap. */
    static boolean isLongLived(String poolName) {
        String name = poolName.toLowerCase(Locale.ROOT);
        return name.endsWith("old gen")
                || name.endsWith("tenured gen")
                || name.contains("old space")
                || name.equals("shenandoah")
                || name.equals("zheap")
                || name.equals("zgc old generation")
                || name.contains("tenured");
    }
}
