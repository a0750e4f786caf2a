package dev.strata.dist;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a started service running until the JVM is asked to stop (Ctrl-C or SIGTERM), then closes
 * it gracefully from the shutdown hook before the JVM exits.
 */
final class UntilStopped {
    private static final Logger log = LoggerFactory.getLogger(UntilStopped.class);

    private UntilStopped() {}

    /** Blocks the calling (main) thread until shutdown, then returns 0. */
    static int run(AutoCloseable service) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                service.close();
                            } catch (Exception e) {
                                log.warn("error while stopping: {}", e.toString());
                            } finally {
                                closed.countDown();
                            }
                        },
                        "strata-shutdown"));
        closed.await();
        return 0;
    }
}
