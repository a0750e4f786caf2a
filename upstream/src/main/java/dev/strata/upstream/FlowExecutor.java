package dev.strata.upstream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs the flow-control work of streamed bodies: capacity grants to
 * HttpClient and cancellations. Both take HttpClient's locks ({@code CapacityChannel.update}, the
 * exchange's {@code Future.cancel}), which a contended moment turns into parking; running them here
 * keeps that away from callers that must never block, such as Undertow I/O threads.
 *
 * <p>Submitting never blocks: a lock-free queue and {@link LockSupport#unpark}; a standard
 * executor's queue takes a lock. Tasks are short and never block. After {@link #close} submissions
 * are rejected. Thread-safe.
 */
final class FlowExecutor implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FlowExecutor.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private FlowExecutor(String name) {
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts the thread, named {@code name}. */
    static FlowExecutor start(String name) {
        FlowExecutor executor = new FlowExecutor(name);
        executor.thread.start();
        return executor;
    }

    /**
     * Queues {@code task}.
     *
     * @throws RejectedExecutionException when closed
     */
    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("flow-control thread " + thread.getName() + " is closed");
        }
        tasks.add(task);
        LockSupport.unpark(thread);
    }

    private void run() {
        while (!closed) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("flow-control task failed", e);
                }
            }
            // A task queued between the poll and here left a permit: park returns at once.
            LockSupport.park(this);
        }
        tasks.clear();
    }

    /** Stops the thread; queued tasks are dropped. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
