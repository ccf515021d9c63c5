package dev.ferrite.controller;

import dev.ferrite.api.http.HealthServer;
import dev.ferrite.controller.election.LeaseElection;
import dev.ferrite.controller.metrics.ControllerMetrics;
import dev.ferrite.controller.reconcile.ServiceReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running controller: the HTTP endpoint, leader election, and while leading, the Service
 * reconciler. {@link #start} is the programmatic entry used by the command, the lab and the
 * tests; {@link #close} stops it and hands the lease back.
 */
public final class Controller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final long LOOP_STALL_MS = 30_000;

    private final ControllerOptions options;
    private final KubernetesClient client;
    private final ControllerMetrics metrics = new ControllerMetrics();
    private HealthServer endpoint;
    private LeaseElection election;
    private ServiceReconciler reconciler;
    private volatile boolean closed;

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
        if (closed || reconciler != null) {
            return;
        }
        reconciler = ServiceReconciler.start(client, options.namespace(), options.lbClass(), metrics,
                Clock.systemUTC(), options.identity(), options.writeConcurrency());
    }

    private synchronized void stopReconciling() {
        if (reconciler != null) {
            reconciler.close();
            reconciler = null;
        }
    }

    /** Whether this replica reconciles now. */
    public synchronized boolean leading() {
        return reconciler != null;
    }

    /** Leading with informers synced and a configuration loaded, or standing by. */
    public synchronized boolean ready() {
        return !closed && (reconciler == null ? options.leaderElect() : reconciler.ready());
    }

    /** The process runs its loops: the reconcile loop went round recently, when leading. */
    public synchronized boolean live() {
        return !closed && (reconciler == null || reconciler.alive(LOOP_STALL_MS));
    }

    /** API writes queued or in flight (0 when not leading). */
    public synchronized int writesOutstanding() {
        return reconciler == null ? 0 : reconciler.writesOutstanding();
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
