package dev.ferrite.speaker.coalesce;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Periodic work whose period depends on the state: each next run is planned when the last one
 * ends, so that a speaker at rest is woken less often than one that is busy.
 */
public final class Repeating {

    private Repeating() {
    }

    /**
     * Runs {@code task} on {@code executor} after the delay {@code delayMillis} gives, then
     * again after the delay it gives then, and so on until the executor is shut down. A task
     * that throws is run again all the same.
     */
    public static void start(ScheduledExecutorService executor, Runnable task, LongSupplier delayMillis) {
        try {
            executor.schedule(() -> {
                try {
                    task.run();
                } finally {
                    start(executor, task, delayMillis);
                }
            }, delayMillis.getAsLong(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shut down
        }
    }
}
