package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class JvmGcMetersTest {
    @Test
    void everyCollectorIsTimedAndCollectionsAreCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JvmGcMeters.bindTo(registry);

        assertThat(registry.find("jvm.gc.pause").functionTimers())
                .extracting(timer -> timer.getId().getTag("gc"))
                .containsExactlyInAnyOrderElementsOf(ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .toList());
        double before = collections(registry);
        System.gc();
        assertThat(collections(registry)).isGreaterThan(before);
    }

    @Test
    void allocatedBytesFollowTheHeapAllocations() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JvmGcMeters.bindTo(registry);
        double before =
                registry.get("jvm.gc.memory.allocated").functionCounter().count();

        long checksum = 0;
        for (int i = 0; i < 64; i++) {
            byte[] chunk = new byte[1 << 20];
            chunk[i] = (byte) i;
            checksum += chunk[i];
        }

        assertThat(checksum).isEqualTo(63 * 64 / 2);
        assertThat(registry.get("jvm.gc.memory.allocated").functionCounter().count() - before)
                .isGreaterThanOrEqualTo(64.0 * (1 << 20));
    }

    @Test
    void theLongLivedPoolIsMeasuredAfterACollection() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JvmGcMeters.bindTo(registry);
        System.gc();

        assertThat(registry.get("jvm.gc.live.data.size").gauge().value()).isGreaterThan(0);
        assertThat(registry.get("jvm.gc.max.data.size").gauge().value())
                .isGreaterThanOrEqualTo(
                        registry.get("jvm.gc.live.data.size").gauge().value());
    }

    @Test
    void longLivedPoolsOfEachCollectorAreKnown() {
        assertThat(JvmGcMeters.isLongLived("Tenured Gen")).isTrue(); // Serial
        assertThat(JvmGcMeters.isLongLived("PS Old Gen")).isTrue(); // Parallel
        assertThat(JvmGcMeters.isLongLived("G1 Old Gen")).isTrue();
        assertThat(JvmGcMeters.isLongLived("ZHeap")).isTrue();
        assertThat(JvmGcMeters.isLongLived("ZGC Old Generation")).isTrue();
        assertThat(JvmGcMeters.isLongLived("Shenandoah")).isTrue();
        assertThat(JvmGcMeters.isLongLived("G1 Eden Space")).isFalse();
        assertThat(JvmGcMeters.isLongLived("Survivor Space")).isFalse();
        assertThat(JvmGcMeters.isLongLived("ZGC Young Generation")).isFalse();
    }

    private static double collections(SimpleMeterRegistry registry) {
        return registry.find("jvm.gc.pause").functionTimers().stream()
                .mapToDouble(FunctionTimer::count)
                .sum();
    }
}
