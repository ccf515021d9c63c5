package dev.ferrite.controller;

import dev.ferrite.api.http.HealthServer;
import dev.ferrite.controller.election.LeaseElection;
import dev.ferrite.controller.metrics.ControllerMetrics;
import dev.ferrite.controller.reconcile.ClusterInformers;
import dev.ferrite.controller.reconcile.ServiceReconciler;
import dev.ferrite.controller.reconcile.WorkQueue;
import dev.ferrite.controller.status.StatusWriters;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the HTTP endpoint, leader election, and while leading, the Service
 * reconciler with what it is wired to ({@link Reconciling}). {@link #start} is the programmatic
 * entry used by the command, the lab and the tests; {@link #close} stops it and hands the lease
 * back.
 */
public final class Controller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final long LOOP_STALL_MS = 30_000;

    private final ControllerOptions options;
    private final KubernetesClient client;
    private final ControllerMetrics metrics = new ControllerMetrics();
    private HealthServer endpoint;
    private LeaseElection election;
    private Reconciling reconciling;
    private volatile boolean closed;

    /**
     * The reconcile loop and its collaborators, built together when this replica starts leading
     * and closed together when it stops: the work queue (which also puts failed work back), the
     * informers that feed it, and the writers. A Service write that fails for good goes back on
     * the queue; the writers never call the reconciler.
     */
    private record Reconciling(WorkQueue queue, ClusterInformers informers, StatusWriters writers,
            ServiceReconciler reconciler) implements AutoCloseable {

        static Reconciling start(ControllerOptions options, KubernetesClient client, ControllerMetrics metrics) {
            WorkQueue queue = new WorkQueue();
            StatusWriters writers = StatusWriters.create(client, options.namespace(), options.identity(),
                    options.writeConcurrency(), queue::serviceLater);
            ClusterInformers informers = new ClusterInformers(client, options.namespace(), queue);
            return new Reconciling(queue, informers, writers,
                    ServiceReconciler.start(queue, informers, writers, options.lbClass(), metrics));
        }

        /** The loop first, so it decides nothing new while the rest stops; queued writes are dropped. */
        @Override
        public void close() {
            reconciler.close();
            informers.close();
            queue.close();
            writers.close();
        }
    }

    private Controller(ControllerOptions options, KubernetesClient client) {
        this.options = options;
        this.client = client;
    }

    public static Controller start(ControllerOptions options, KubernetesClient client) throws IOException {
        Controller c = new Controller(options, client);
        if (options.metricsPort() >= 0) {
            c.endpoint = HealthServer.start(options.metricsPort(), "ferrite-controller-http", c.metrics,
                    () -> c.live() ? "" : "not ready", () -> c.ready() ? "" : "not ready", () -> "");
            log.info("serving /metrics, /healthz, /readyz on port {}", c.endpoint.port());
        }
        log.info("controller {} starting: namespace {}, class {}, leader election {}", options.identity(),
                options.namespace(), options.lbClass().orElse("(none)"), options.leaderElect() ? "on" : "off");
        if (options.leaderElect()) {
            c.election = LeaseElection.start(client, options.namespace(), options.identity(), options.election(),
                    c::startReconciling, c::stopReconciling);
        } else {
            c.startReconciling();
        }
        return c;
    }

    private synchronized void startReconciling() {
        if (closed || reconciling != null) {
            return;
        }
        reconciling = Reconciling.start(options, client, metrics);
    }

    private synchronized void stopReconciling() {
        if (reconciling != null) {
            reconciling.close();
            reconciling = null;
        }
    }

    /** Whether this replica reconciles now. */
    public synchronized boolean leading() {
        return reconciling != null;
    }

    /** Leading with informers synced and a configuration loaded, or standing by. */
    public synchronized boolean ready() {
        return !closed && (reconciling == null ? options.leaderElect() : reconciling.reconciler().ready());
    }

    /** The process runs its loops: the reconcile loop went round recently, when leading. */
    public synchronized boolean live() {
        return !closed && (reconciling == null || reconciling.reconciler().alive(LOOP_STALL_MS));
    }

    /** API writes queued or in flight (0 when not leading). */
    public synchronized int writesOutstanding() {
        return reconciling == null ? 0 : reconciling.writers().writes().outstanding();
    }

    /** Port of the HTTP endpoint, or -1 when none is served. */
    public int metricsPort() {
        return endpoint == null ? -1 : endpoint.port();
    }

    public ControllerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopReconciling();
        if (election != null) {
            election.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        log.info("controller {} stopped", options.identity());
    }
}
