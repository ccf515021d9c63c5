package dev.ferrite.controller.status;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs API writes off the reconcile loop with bounded concurrency. Writes for the same key
 * (one object) run one after another in submission order, so a later state of a Service
 * never lands before an earlier one. {@link Priority#STATUS} writes (the address in
 * {@code status.loadBalancer.ingress}, what makes a Service work) get {@code concurrency}
 * workers; {@link Priority#FOLLOW_UP} writes (annotation, Events, pool status: for the
 * operator to read) get a quarter of that, so in a burst they do not take API server time
 * from the addresses.
 */
public final class WriteQueue implements AutoCloseable {

    public enum Priority { STATUS, FOLLOW_UP }

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

    private final ThreadPoolExecutor statusWorkers;
    private final ThreadPoolExecutor followUpWorkers;
    private final Map<String, ArrayDeque<Job>> byKey = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final int concurrency;
    private static final long MAX_FOLLOW_UP_DELAY_MS = 10_000;
    /** A follow-up waits until no address write has been submitted for this long: the end of a burst. */
    static final long QUIET_MS = 300;
    private volatile long lastStatusSubmitNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(QUIET_MS);

    public WriteQueue(int concurrency, String threadName) {
        this.concurrency = concurrency;
        this.statusWorkers = workers(concurrency, threadName + "-status");
        this.followUpWorkers = workers(Math.max(1, concurrency / 4), threadName + "-followup");
    }

    private static ThreadPoolExecutor workers(int n, String name) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new PriorityBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int concurrency() {
        return concurrency;
    }

    /** Queues {@code write} behind every earlier write for {@code key}. */
    public void submit(String key, Priority priority, Runnable write) {
        outstanding.incrementAndGet();
        if (priority == Priority.STATUS) {
            lastStatusSubmitNanos = System.nanoTime();
        }
        Job job = new Job(key, priority, sequence.incrementAndGet(), write);
        boolean runNow;
        synchronized (byKey) {
            ArrayDeque<Job> queue = byKey.get(key);
            if (queue == null) {
                byKey.put(key, new ArrayDeque<>());
                runNow = true;
            } else {
                queue.add(job);
                runNow = false;
            }
        }
        if (runNow) {
            dispatch(job);
        }
    }

    /** Writes not yet finished (queued or running). */
    public int outstanding() {
        return outstanding.get();
    }

    private void dispatch(Job job) {
        ThreadPoolExecutor executor = job.priority == Priority.STATUS ? statusWorkers : followUpWorkers;
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(job);
    }

    private void finished(Job job) {
        outstanding.decrementAndGet();
        Job next;
        synchronized (byKey) {
            ArrayDeque<Job> queue = byKey.get(job.key);
            next = queue == null ? null : queue.poll();
            if (next == null) {
                byKey.remove(job.key);
            }
        }
        if (next != null) {
            // a job queued behind another keeps its own priority but its place in line is
            // "now", so a busy key cannot starve others
            dispatch(new Job(next.key, next.priority, sequence.incrementAndGet(), next.write));
        }
    }

    /**
     * A follow-up write waits while address writes are queued or running, and until none has
     * been submitted for {@link #QUIET_MS}, for at most {@link #MAX_FOLLOW_UP_DELAY_MS}: in a
     * burst of new Services the API server's time (and, on a small node, the CPU the watchers
     * of every write spend) goes to addresses first, and annotations and Events still follow
     * within a bounded delay.
     */
    private void yieldToStatusWrites() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_FOLLOW_UP_DELAY_MS);
        long quiet = TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
        while ((statusWorkers.getActiveCount() > 0 || !statusWorkers.getQueue().isEmpty()
                || System.nanoTime() - lastStatusSubmitNanos < quiet)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        // queued writes are dropped (a new leader recomputes them); running ones may finish
        for (ThreadPoolExecutor executor : new ThreadPoolExecutor[] {statusWorkers, followUpWorkers}) {
            executor.getQueue().clear();
            executor.shutdown();
        }
        for (ThreadPoolExecutor executor : new ThreadPoolExecutor[] {statusWorkers, followUpWorkers}) {
            try {
                if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Job implements Runnable, Comparable<Job> {
        final String key;
        final Priority priority;
        final long seq;
        final Runnable write;

        Job(String key, Priority priority, long seq, Runnable write) {
            this.key = key;
            this.priority = priority;
            this.seq = seq;
            this.write = write;
        }

        @Override
        public void run() {
            try {
                if (priority == Priority.FOLLOW_UP) {
                    yieldToStatusWrites();
                }
                write.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("write for {} failed: {}", key, e.toString());
            } finally {
                finished(this);
            }
        }

        @Override
        public int compareTo(Job o) {
            int c = priority.compareTo(o.priority);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
