package dev.strata.proxy;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Makes blocking on an Undertow I/O thread fail the integration tests (STYLE.md §4, §5). XNIO names
 * those threads {@code XNIO-N I/O-M}, or {@code ROLE-NAME I/O-M} for a node's public listener. Installed by blockhound-junit-platform through the service
 * loader. Undertow catches what a handler throws, so each violation is also recorded here and
 * tests assert {@link #violations()} is empty.
 */
public final class UndertowIoThreads implements BlockHoundIntegration {
    private static final Queue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();
    private static final String PACKAGE = "dev/strata/cache/";
    private static final String DISK_TIER = "dev.strata.cache.store.DiskTier";
    private static final String KEY = "L" + PACKAGE + "key/CacheKey;";
    private static final String VARY_KEY = "L" + PACKAGE + "key/VaryKey;";
    private static final String RESPONSE = "L" + PACKAGE + "store/CachedResponse;";
    private static final String ENCODED_KEY = "L" + PACKAGE + "key/EncodedKey;";
    private static final String ENCODED = "L" + PACKAGE + "store/EncodedBody;";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(
                        current -> current.or(thread -> thread.getName().contains(" I/O-")))
                // RocksDB is blocking JNI, which BlockHound cannot see: mark the disk tier itself.
                .markAsBlocking(DISK_TIER, "lookup", "(" + KEY + ")L" + PACKAGE + "store/StoredEntry;")
                .markAsBlocking(DISK_TIER, "lookup", "(" + VARY_KEY + ")" + RESPONSE)
                .markAsBlocking(DISK_TIER, "store", "(" + KEY + RESPONSE + ")V")
                .markAsBlocking(DISK_TIER, "store", "(" + VARY_KEY + RESPONSE + ")V")
                .markAsBlocking(DISK_TIER, "invalidate", "(" + KEY + ")V")
                .markAsBlocking(DISK_TIER, "lookup", "(" + ENCODED_KEY + ")" + ENCODED)
                .markAsBlocking(DISK_TIER, "store", "(" + ENCODED_KEY + ENCODED + ")V")
                // XNIO's own hand-over between threads while a listener starts or stops.
                .allowBlockingCallsInside("org.xnio.nio.WorkerThread$SynchTask", "run")
                .blockingMethodCallback(method -> {
                    VIOLATIONS.add(method + " on " + Thread.currentThread().getName());
                    throw new BlockingOperationError(method);
                });
    }

    /** Every blocking call seen on an I/O thread since the JVM started. */
    static List<String> violations() {
        return List.copyOf(VIOLATIONS);
    }
}
