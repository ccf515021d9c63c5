package dev.ferrite.speaker.status;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.AddressConflictInfo;
import dev.ferrite.api.v1beta1.HandoffInfo;
import dev.ferrite.api.v1beta1.InterfaceInfo;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.api.v1beta1.ServiceL2StatusStatus;
import dev.ferrite.speaker.coalesce.CoalescingScheduler;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors what this node announces into ServiceL2Status objects, one per announced Service,
 * and records a {@code nodeAssigned} Event when this node starts announcing a Service. Hosts
 * outside the cluster seen using a Service's IPs go to {@code status.conflicts} with a
 * condition per kind ({@value #ADDRESS_IN_USE}, {@value #FOREIGN_CLAIM}), and an IP newly found
 * in use gets a Warning Event {@code AddressInUse} on the Service. Runs
 * on its own thread: the ownership loop hands over the latest state and never waits for the
 * API. Bursts collapse into one write pass; a failed write is retried later.
 */
public final class StatusWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
    private static final Duration RETRY = Duration.ofSeconds(2);
    /** Condition: an IP of the Service was found in use before announcing, and is not announced. */
    public static final String ADDRESS_IN_USE = "AddressInUse";
    /** Condition: a host outside the cluster claims an IP this node announces. */
    public static final String FOREIGN_CLAIM = "ForeignClaim";

    private final KubernetesClient client;
    private final String namespace;
    private final String node;
    private final ServiceEvents events;
    private final CoalescingScheduler scheduler;
    private volatile Map<ServiceKey, ServiceAnnouncement> desired = Map.of();
    private volatile boolean stopped;

    // Owned by the writer thread.
    private final Map<ServiceKey, ServiceAnnouncement> written = new HashMap<>();
    private boolean staleSwept;

    public StatusWriter(KubernetesClient client, String namespace, String node, ServiceEvents events) {
        this.client = client;
        this.namespace = namespace;
        this.node = node;
        this.events = events;
        this.scheduler = new CoalescingScheduler("ferrite-status", this::writePass);
    }

    /** Replaces the desired state; returns at once. */
    public void submit(Map<ServiceKey, ServiceAnnouncement> announcements) {
        desired = Map.copyOf(announcements);
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (!stopped) {
            scheduler.request(delay);
        }
    }

    private void writePass() {
        if (stopped) {
            return;
        }
        Map<ServiceKey, ServiceAnnouncement> want = desired;
        boolean failed = false;
        if (!staleSwept) {
            failed |= !sweepStale(want);
        }
        for (ServiceAnnouncement a : want.values()) {
            ServiceAnnouncement before = written.get(a.service());
            if (a.equals(before)) {
                continue;
            }
            try {
                write(a);
                written.put(a.service(), a);
                if (before == null && !a.ips().isEmpty()) {
                    log.info("service {}: ServiceL2Status {}/{} written, ips {} on {}", a.service(), namespace,
                            StatusName.of(a.service(), node), a.ips(), a.interfaces());
                    recordEvent(a);
                }
                recordInUse(a, before);
            } catch (KubernetesClientException e) {
                failed = true;
                log.warn("service {}: writing ServiceL2Status failed, retrying: {}", a.service(), e.getMessage());
            }
        }
        for (ServiceKey gone : List.copyOf(written.keySet())) {
            if (!want.containsKey(gone)) {
                try {
                    delete(gone);
                    written.remove(gone);
                } catch (KubernetesClientException e) {
                    failed = true;
                    log.warn("service {}: deleting ServiceL2Status failed, retrying: {}", gone, e.getMessage());
                }
            }
        }
        if (failed) {
            schedule(RETRY);
        }
    }

    /** Records a ForeignClaim Warning Event on the writer thread; returns at once. */
    public void foreignClaim(ServiceAnnouncement a, ForeignClaim c) {
        if (stopped) {
            return;
        }
        scheduler.submit(() -> {
            try {
                events.foreignClaim(a, c);
            } catch (KubernetesClientException e) {
                log.warn("service {}: recording event {} failed: {}", a.service(), ServiceEvents.FOREIGN_CLAIM, e.getMessage());
            }
        });
    }

    private void recordEvent(ServiceAnnouncement a) {
        try {
            events.nodeAssigned(a);
        } catch (KubernetesClientException e) {
            // An event is a courtesy to the operator; never retry it in a loop.
            log.warn("service {}: recording event {} failed: {}", a.service(), ServiceEvents.NODE_ASSIGNED, e.getMessage());
        }
    }

    /** A Warning Event for each IP of {@code a} found in use that {@code before} did not show. */
    private void recordInUse(ServiceAnnouncement a, ServiceAnnouncement before) {
        for (AddressConflict c : a.conflicts()) {
            boolean known = before != null && before.conflicts().stream()
                    .anyMatch(b -> b.kind() == c.kind() && b.ip().equals(c.ip()) && b.mac().equals(c.mac()));
            if (c.kind() == AddressConflict.Kind.IN_USE && !known) {
                try {
                    events.addressInUse(a, c);
                } catch (KubernetesClientException e) {
                    log.warn("service {}: recording event {} failed: {}", a.service(), ServiceEvents.ADDRESS_IN_USE,
                            e.getMessage());
                }
            }
        }
    }

    /** Deletes this node's objects left over from an earlier run for Services it no longer announces. */
    private boolean sweepStale(Map<ServiceKey, ServiceAnnouncement> want) {
        try {
            for (ServiceL2Status s : client.resources(ServiceL2Status.class).inNamespace(namespace)
                    .withLabel(StatusName.NODE_LABEL, StatusName.labelValue(node)).list().getItems()) {
                String name = s.getMetadata().getName();
                boolean wanted = want.keySet().stream().anyMatch(k -> StatusName.of(k, node).equals(name));
                if (!wanted) {
                    client.resources(ServiceL2Status.class).inNamespace(namespace).withName(s.getMetadata().getName()).delete();
                    log.info("ServiceL2Status {}/{} left from an earlier run deleted", namespace, s.getMetadata().getName());
                }
            }
            staleSwept = true;
            return true;
        } catch (KubernetesClientException e) {
            log.warn("listing ServiceL2Status objects of node {} failed, retrying: {}", node, e.getMessage());
            return false;
        }
    }

    private void write(ServiceAnnouncement a) {
        String name = StatusName.of(a.service(), node);
        var resource = client.resources(ServiceL2Status.class).inNamespace(namespace).withName(name);
        ServiceL2Status current = resource.get();
        if (current == null) {
            ServiceL2Status fresh = new ServiceL2Status();
            fresh.setMetadata(new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(namespace)
                    .addToLabels(StatusName.SERVICE_NAMESPACE_LABEL, StatusName.labelValue(a.service().namespace()))
                    .addToLabels(StatusName.SERVICE_NAME_LABEL, StatusName.labelValue(a.service().name()))
                    .addToLabels(StatusName.NODE_LABEL, StatusName.labelValue(node))
                    .build());
            // No spec: it has no fields, and an empty bean does not serialize.
            fresh.setSpec(null);
            current = client.resources(ServiceL2Status.class).inNamespace(namespace).resource(fresh).create();
        }
        current.setStatus(statusOf(a));
        // A full status replace: a merge patch would merge the ips list on some servers.
        client.resources(ServiceL2Status.class).inNamespace(namespace).resource(current).updateStatus();
    }

    private ServiceL2StatusStatus statusOf(ServiceAnnouncement a) {
        ServiceL2StatusStatus st = new ServiceL2StatusStatus();
        st.setNode(node);
        st.setServiceNamespace(a.service().namespace());
        st.setServiceName(a.service().name());
        st.setIps(a.ips().stream().map(IpAddress::toString).toList());
        st.setInterfaces(a.interfaces().stream().map(InterfaceInfo::new).toList());
        if (!a.handoffs().isEmpty()) {
            st.setHandoffs(a.handoffs().stream()
                    .map(h -> new HandoffInfo(h.ip().toString(), h.fromNode(), h.until().toString())).toList());
        }
        if (!a.conflicts().isEmpty()) {
            st.setConflicts(a.conflicts().stream().map(c -> new AddressConflictInfo(c.ip().toString(), c.kind().wire(),
                    c.mac(), c.how(), c.interfaceName(), c.since().toString())).toList());
            st.setConditions(conditions(a.conflicts()));
        }
        return st;
    }

    /** One condition per kind of conflict present, status True, since the oldest of that kind. */
    static List<Condition> conditions(List<AddressConflict> conflicts) {
        List<Condition> out = new ArrayList<>();
        for (AddressConflict.Kind kind : AddressConflict.Kind.values()) {
            List<AddressConflict> of = conflicts.stream().filter(c -> c.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            boolean inUse = kind == AddressConflict.Kind.IN_USE;
            String what = String.join("; ", of.stream().map(c -> c.ip() + " by " + c.mac() + " (" + c.how() + " on "
                    + c.interfaceName() + ")").toList());
            out.add(new ConditionBuilder()
                    .withType(inUse ? ADDRESS_IN_USE : FOREIGN_CLAIM)
                    .withStatus("True")
                    .withReason(inUse ? "ProbeAnswered" : "ClaimSeen")
                    .withMessage(inUse
                            ? "in use by a host outside the cluster, not announced: " + what
                            : "claimed by a host outside the cluster while announced: " + what)
                    .withLastTransitionTime(of.stream().map(AddressConflict::since).min(java.util.Comparator.naturalOrder())
                            .orElseThrow().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                    .build());
        }
        return out;
    }

    private void delete(ServiceKey service) {
        String name = StatusName.of(service, node);
        client.resources(ServiceL2Status.class).inNamespace(namespace).withName(name).delete();
        log.info("service {}: ServiceL2Status {}/{} deleted, this node no longer announces it", service, namespace, name);
    }

    /**
     * Deletes every object this writer created and stops; used on shutdown after the IPs were
     * handed over. Bounded by {@code timeout} so a dead API never blocks the exit.
     */
    public void deleteAllAndStop(Duration timeout) {
        desired = Map.of();
        try {
            scheduler.submit(() -> {
                for (ServiceKey k : List.copyOf(written.keySet())) {
                    try {
                        delete(k);
                        written.remove(k);
                    } catch (KubernetesClientException e) {
                        log.warn("service {}: deleting ServiceL2Status on shutdown failed: {}", k, e.getMessage());
                    }
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("deleting ServiceL2Status objects of node {} did not finish within {} ms", node, timeout.toMillis());
        }
        close();
    }

    @Override
    public void close() {
        stopped = true;
        scheduler.close();
    }
}
