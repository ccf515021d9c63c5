package dev.ferrite.controller;

import dev.ferrite.controller.election.LeaseElection;
import java.util.Optional;

/**
 * How a controller runs.
 *
 * @param namespace        where IPAddressPools, L2Advertisements and the leader Lease live
 * @param lbClass          the {@code spec.loadBalancerClass} handled; empty handles class-less Services
 * @param metricsPort      port of /metrics, /healthz, /readyz; 0 picks a free port, -1 serves none
 * @param leaderElect      whether to take part in Lease leader election (else reconcile at once)
 * @param identity         lease holder identity (node or pod name)
 * @param writeConcurrency API writes in flight at once
 * @param election         Lease timing
 */
public record ControllerOptions(
        String namespace,
        Optional<String> lbClass,
        int metricsPort,
        boolean leaderElect,
        String identity,
        int writeConcurrency,
        LeaseElection.Timing election) {

    public static final String DEFAULT_NAMESPACE = "ferrite-system";
    public static final int DEFAULT_METRICS_PORT = 7472;
    public static final int DEFAULT_WRITE_CONCURRENCY = 8;

    /** Defaults for an in-process controller (tests, the lab): no election, no HTTP port. */
    public static ControllerOptions inProcess(String namespace, String identity) {
        return new ControllerOptions(namespace, Optional.empty(), -1, false, identity, DEFAULT_WRITE_CONCURRENCY,
                LeaseElection.Timing.DEFAULT);
    }

    public ControllerOptions withLbClass(Optional<String> cls) {
        return new ControllerOptions(namespace, cls, metricsPort, leaderElect, identity, writeConcurrency, election);
    }

    public ControllerOptions withLeaderElection(boolean on, LeaseElection.Timing timing) {
        return new ControllerOptions(namespace, lbClass, metricsPort, on, identity, writeConcurrency, timing);
    }

    public ControllerOptions withMetricsPort(int port) {
        return new ControllerOptions(namespace, lbClass, port, leaderElect, identity, writeConcurrency, election);
    }
}
