package dev.ferrite.controller.reconcile;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The reconcile loop's inbox: Service keys (each at most once, in arrival order) and a flag
 * saying the pool/advertisement configuration changed. Informer threads put, the single loop
 * thread takes. A burst of changes to one Service collapses into one reconcile.
 *
 * <p>Work that failed (a reconcile that threw, a Service write that gave up) is put back after
 * the retry delay by {@link #later}, on a timer thread of the queue's own, as a client-go
 * delaying queue does; so whoever fails needs only the queue, not the loop.
 */
public final class WorkQueue implements AutoCloseable {

    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    /** What the loop should do next. */
    sealed interface Work {
        record ConfigChanged() implements Work {
        }

        record ServiceChanged(String key) implements Work {
        }

        /** A ServiceL2Status changed: the addresses speakers found in use may have. */
        record AddressesInUseChanged() implements Work {
        }
    }

    private final LinkedHashSet<String> keys = new LinkedHashSet<>();
    private boolean configChanged;
    private boolean inUseChanged;
    private final long retryDelayMillis;
    private final ScheduledExecutorService retries;
    private volatile boolean closed;

    public WorkQueue() {
        this(RETRY_DELAY);
    }

    WorkQueue(Duration retryDelay) {
        this.retryDelayMillis = retryDelay.toMillis();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferrite-controller-retry");
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void configChanged() {
        configChanged = true;
        notifyAll();
    }

    synchronized void addressesInUseChanged() {
        inUseChanged = true;
        notifyAll();
    }

    synchronized void add(String key) {
        if (keys.add(key)) {
            notifyAll();
        }
    }

    synchronized void addAll(Collection<String> more) {
        if (keys.addAll(more)) {
            notifyAll();
        }
    }

    synchronized int size() {
        return keys.size();
    }

    /** Puts {@code work} back after the retry delay; nothing once the queue is closed. */
    void later(Work work) {
        if (closed) {
            return;
        }
        try {
            retries.schedule(() -> put(work), retryDelayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Reconciles the Service {@code key} again after the retry delay (its write failed for good). */
    public void serviceLater(String key) {
        later(new Work.ServiceChanged(key));
    }

    private void put(Work work) {
        if (work instanceof Work.ServiceChanged s) {
            add(s.key());
        } else if (work instanceof Work.AddressesInUseChanged) {
            addressesInUseChanged();
        } else {
            configChanged();
        }
    }

    /** The configuration goes first, then addresses in use: Services are judged against the latest pools. */
    synchronized Optional<Work> take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!configChanged && !inUseChanged && keys.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (configChanged) {
            configChanged = false;
            return Optional.of(new Work.ConfigChanged());
        }
        if (inUseChanged) {
            inUseChanged = false;
            return Optional.of(new Work.AddressesInUseChanged());
        }
        var it = keys.iterator();
        String key = it.next();
        it.remove();
        return Optional.of(new Work.ServiceChanged(key));
    }

    /** Stops putting work back; what is waiting for its delay is dropped (a new leader starts over). */
    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
    }
}
