package dev.ferrite.controller.reconcile;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reconcile loop's inbox: Service keys (each at most once, in arrival order) and a flag
 * saying the pool/advertisement configuration changed. Informer threads put, the single loop
 * thread takes. A burst of changes to one Service collapses into one reconcile.
 */
final class WorkQueue {

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
}
