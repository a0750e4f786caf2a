package dev.strata.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Keeps a started service running until it is asked to stop, then stops it gracefully on the main
 * thread, so that the command returns and the process exits with status 0.
 *
 * <p>SIGTERM and SIGINT (Ctrl-C) stop the service: its {@code close()} drains and closes it; a
 * second one while it drains halts the process at once, with the shell's status for that signal
 * (143, 130). SIGHUP reloads the configuration of a service that can ({@code reload} given); for
 * one that cannot, a hangup stops it like SIGTERM. The JVM's default handling of these signals
 * would run shutdown hooks and exit with 128 + the signal's number, so the handlers come from {@code
 * sun.misc.Signal} (module {@code jdk.unsupported}, the only way the JDK offers). They are installed
 * before the service starts ({@link #install()}), so a signal while it starts is not lost: the
 * service then stops as soon as it runs. A shutdown hook stays as the fallback for any other way the
 * JVM exits (a signal whose handler could not be installed, {@code System.exit} elsewhere): it
 * closes the service if nothing else has.
 */
final class UntilStopped {
    private static final Logger log = LoggerFactory.getLogger(UntilStopped.class);

    /** Exit status when the service failed while it stopped. */
    static final int FAILED_TO_STOP = 1;

    private final CountDownLatch stop = new CountDownLatch(1);
    /** The signal that stopped the service; null until one did. */
    private final AtomicReference<@Nullable String> stoppedBy = new AtomicReference<>();

    /** The handlers these replaced, by signal, to put back when the service fails to start. */
    private final Map<Signal, SignalHandler> replaced = new LinkedHashMap<>();

    private volatile @Nullable Runnable reload;
    private volatile boolean running;

    private UntilStopped() {}

    /**
     * Handles SIGTERM, SIGINT and SIGHUP from now on: call it before the service starts, and start
     * it with {@link #starting}.
     */
    static UntilStopped install() {
        UntilStopped until = new UntilStopped();
        for (String name : new String[] {"TERM", "INT"}) {
            until.handle(name, signal -> {
                if (!until.stopBy(signal)) {
                    log.warn("SIG{} again while stopping: halting now, without draining", signal.getName());
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
            });
        }
        until.handle("HUP", until::hangUp);
        return until;
    }

    /**
     * Starts the service; when that fails, the signals get back the handling they had before {@link
     * #install()}, and the failure is thrown.
     */
    <T extends AutoCloseable> T starting(Supplier<T> start) {
        try {
            return start.get();
        } catch (RuntimeException | Error e) {
            replaced.forEach(Signal::handle);
            throw e;
        }
    }

    /** Runs {@code service} until SIGTERM, SIGINT or SIGHUP, then closes it and returns 0. */
    int run(AutoCloseable service) throws InterruptedException {
        return run(service, null);
    }

    /**
     * Runs {@code service} until SIGTERM or SIGINT, reloading on SIGHUP, then closes it.
     *
     * @param onHangUp what SIGHUP does, on a thread of its own; null to stop on SIGHUP
     * @return 0, or {@link #FAILED_TO_STOP} when closing the service threw
     */
    int run(AutoCloseable service, @Nullable Runnable onHangUp) throws InterruptedException {
        AtomicBoolean closing = new AtomicBoolean();
        Thread fallback = new Thread(
                () -> {
                    if (closing.compareAndSet(false, true)) {
                        close(service);
                    }
                },
                "strata-shutdown");
        Runtime.getRuntime().addShutdownHook(fallback);
        reload = onHangUp;
        running = true;
        stop.await();
        log.info("{}: stopping", stoppedBy.get());
        if (!closing.compareAndSet(false, true)) {
            return 0; // the shutdown hook is closing it: the JVM is exiting anyway
        }
        int status = close(service);
        try {
            Runtime.getRuntime().removeShutdownHook(fallback);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
        return status;
    }

    /** Records the first stop signal; false when one came before. */
    private boolean stopBy(Signal signal) {
        if (stoppedBy.compareAndSet(null, "SIG" + signal.getName())) {
            stop.countDown();
            return true;
        }
        return false;
    }

    private void hangUp(Signal signal) {
        if (!running) {
            log.info("SIGHUP while starting: ignored");
            return;
        }
        Runnable onHangUp = reload;
        if (onHangUp == null) {
            stopBy(signal);
        } else if (stoppedBy.get() == null) {
            log.info("SIGHUP: reloading the configuration");
            onHangUp.run();
        }
    }

    private static int close(AutoCloseable service) {
        try {
            service.close();
            return 0;
        } catch (Exception e) {
            log.error("error while stopping: {}", e.toString());
            return FAILED_TO_STOP;
        }
    }

    /**
     * Handles signal {@code name} from now on; a signal the JVM reserves (as with {@code -Xrs}) or
     * that the system lacks keeps its default handling, with a log line.
     */
    private void handle(String name, SignalHandler handler) {
        try {
            Signal signal = new Signal(name);
            if (ignoredSinceStart(signal.getNumber())) {
                // The JVM leaves a signal ignored at start ignored (nohup ignores SIGHUP).
                log.warn(
                        "SIG{} is ignored by this process (started under nohup?) and cannot be handled{}",
                        name,
                        name.equals("HUP") ? "; reload with POST /reload on the admin listener instead" : "");
                return;
            }
            replaced.put(signal, Signal.handle(signal, handler));
        } catch (IllegalArgumentException e) {
            log.warn("cannot handle SIG{} ({}); it keeps the JVM's default handling", name, e.getMessage());
        }
    }

    /**
     * Whether signal {@code number} was set to be ignored when the process started, as {@code nohup}
     * does for SIGHUP: read from {@code /proc/self/status}'s {@code SigIgn} mask (Linux); false
     * where that cannot be read.
     */
    static boolean ignoredSinceStart(int number) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(
                            line.substring("SigIgn:".length()).strip(), 16);
                    return (mask & (1L << (number - 1))) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
