package dev.ferrite.controller.election;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lease-based leader election among controller replicas (coordination.k8s.io Lease
 * {@code ferrite-controller} in the controller's namespace). A replica that loses the lease
 * stops reconciling and goes back to standing by; on a graceful stop the lease is released so
 * a standby takes over at its next retry instead of waiting for the lease to expire.
 */
public final class LeaseElection implements AutoCloseable {

    public static final String LEASE_NAME = "ferrite-controller";

    /** Lease timing; the defaults match client-go's. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private static final Logger log = LoggerFactory.getLogger(LeaseElection.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final Timing timing;
    private final Runnable onStartLeading;
    private final Runnable onStopLeading;
    private volatile boolean closed;
    private volatile boolean leading;
    private volatile CompletableFuture<?> running;

    private LeaseElection(KubernetesClient client, String namespace, String identity, Timing timing,
            Runnable onStartLeading, Runnable onStopLeading) {
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.timing = timing;
        this.onStartLeading = onStartLeading;
        this.onStopLeading = onStopLeading;
    }

    public static LeaseElection start(KubernetesClient client, String namespace, String identity, Timing timing,
            Runnable onStartLeading, Runnable onStopLeading) {
        LeaseElection e = new LeaseElection(client, namespace, identity, timing, onStartLeading, onStopLeading);
        e.campaign();
        return e;
    }

    public boolean leading() {
        return leading;
    }

    private synchronized void campaign() {
        if (closed) {
            return;
        }
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    leading = true;
                    log.info("{} is now the leader (lease {}/{})", identity, namespace, LEASE_NAME);
                    onStartLeading.run();
                },
                () -> {
                    boolean was = leading;
                    leading = false;
                    if (was) {
                        log.info("{} stopped leading", identity);
                        onStopLeading.run();
                    }
                },
                leader -> log.info("leader is now {}", leader));
        LeaderElectionConfig config = new LeaderElectionConfig(new LeaseLock(namespace, LEASE_NAME, identity),
                timing.leaseDuration(), timing.renewDeadline(), timing.retryPeriod(), callbacks, true, LEASE_NAME);
        LeaderElector elector = client.leaderElector().withConfig(config).build();
        CompletableFuture<?> f = elector.start();
        running = f;
        // the elector gives up after losing the lease; stand by for the next term
        f.whenComplete((ok, err) -> {
            if (!closed) {
                if (err != null) {
                    log.warn("leader election ended: {}; standing by again", err.toString());
                }
                campaign();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> f = running;
        if (f != null) {
            // with releaseOnCancel the lease is handed back, so a standby need not wait it out
            f.cancel(true);
        }
    }
}
