package dev.ferrite.bench;

/**
 * The background loop a benchmark runs beside what it measures (sampling the heap, flushing a
 * client's neighbour table): a daemon thread that does one step, sleeps, and repeats until it
 * is interrupted.
 */
public final class PeriodicThread {

    private PeriodicThread() {
    }

    /** Starts the loop; interrupt the returned thread to end it. */
    public static Thread start(String name, long periodMillis, Runnable step) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                step.run();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
