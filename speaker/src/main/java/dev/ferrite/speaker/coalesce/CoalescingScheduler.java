package dev.ferrite.speaker.coalesce;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread that runs one task, with requests coalesced: a request while a run is pending
 * is covered by that run, so a burst of changes costs one run. The pending mark is cleared
 * just before the task starts, so a change that arrives during a run causes one more.
 * Other work for the same state can be put on the same thread with {@link #submit}, so it
 * never races a run.
 */
public final class CoalescingScheduler implements AutoCloseable {

    private final Runnable task;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();

    public CoalescingScheduler(String threadName, Runnable task) {
        this.task = task;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the task after {@code delay} unless a run is pending already; a no-op once closed. */
    public void request(Duration delay) {
        if (executor.isShutdown()) {
            return;
        }
        if (pending.compareAndSet(false, true)) {
            executor.schedule(() -> {
                pending.set(false);
                task.run();
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Makes a {@link #request} once {@code delay} has passed: for a deadline, which must neither
     * hold back the requests made before it (as a pending delayed run would) nor wait behind them.
     */
    public void requestAfter(Duration delay) {
        if (!executor.isShutdown()) {
            executor.schedule(() -> request(Duration.ZERO), delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Runs {@code work} once after {@code delay}, on the same thread; a no-op once closed. */
    public void submitAfter(Duration delay, Runnable work) {
        if (!executor.isShutdown()) {
            executor.schedule(work, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Runs {@code work} every {@code period} on the same thread. */
    public void every(Duration period, Runnable work) {
        executor.scheduleWithFixedDelay(work, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code work} on the same thread, after what is running now. */
    public <T> Future<T> submit(Callable<T> work) {
        return executor.submit(work);
    }

    /** Runs {@code work} on the same thread, after what is running now. */
    public Future<?> submit(Runnable work) {
        return executor.submit(work);
    }

    /** Stops the thread; pending runs are dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
