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
 * never lands before an earlier one. Among keys, {@link Priority#STATUS} writes go first: the
 * address in {@code status.loadBalancer.ingress} is what makes a Service work, while the
 * annotation and Events that follow it are for the operator to read.
 */
public final class WriteQueue implements AutoCloseable {

    public enum Priority { STATUS, FOLLOW_UP }

    private static final Logger log = LoggerFactory.getLogger(WriteQueue.class);

    private final ThreadPoolExecutor executor;
    private final Map<String, ArrayDeque<Job>> byKey = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final int concurrency;

    public WriteQueue(int concurrency, String threadName) {
        this.concurrency = concurrency;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                new PriorityBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
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

    @Override
    public void close() {
        // queued writes are dropped (a new leader recomputes them); running ones may finish
        executor.getQueue().clear();
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
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
                write.run();
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
