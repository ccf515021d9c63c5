package dev.ferrite.controller.statusview;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolStatus;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.controller.allocation.k8s.ServiceRequestParser;
import dev.ferrite.controller.status.ConfigStatusWriter;
import dev.ferrite.controller.status.ServiceIngress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What {@code ferrite status} shows, computed from the objects alone: LoadBalancer Services
 * with their addresses, pool and announcing node; pools with used/total per family; Services
 * still waiting for an address with the controller's reason; pools and advertisements the
 * controller found invalid; addresses of pools in use outside the cluster. No client and no clock in here: the caller passes what it read
 * and the time ages are measured against, so the same objects always give the same report.
 *
 * <p>The reason of a pending Service comes from the newest {@code AllocationFailed} Warning
 * Event on it, because the controller keeps pending reasons in memory and publishes them only
 * as Events. The announcing node comes from the speakers' ServiceL2Status objects; during a
 * handover two nodes may briefly both report, and both are shown.
 */
public record StatusReport(
        Instant generatedAt,
        List<ServiceRow> services,
        List<PoolRow> pools,
        List<PendingRow> pending,
        List<InvalidRow> invalid,
        List<HandoffRow> handoffs,
        List<ClaimRow> foreignClaims,
        List<InUseRow> addressesInUse) {

    public static final String ALLOCATION_FAILED = "AllocationFailed";
    /** The speaker's Warning Event when a host outside the cluster claims a Service IP. */
    public static final String FOREIGN_CLAIM = "ForeignClaim";

    /**
     * Which Services to show.
     *
     * @param lbClass          the {@code spec.loadBalancerClass} Ferrite handles; empty means class-less Services
     * @param allClasses       also list LoadBalancer Services of other classes (marked as not Ferrite's)
     * @param serviceNamespace only Services of this namespace
     */
    public record Options(Optional<String> lbClass, boolean allClasses, Optional<String> serviceNamespace) {
        public static final Options DEFAULT = new Options(Optional.empty(), false, Optional.empty());
    }

    /**
     * A LoadBalancer Service that has addresses, or any Service of another class when those are listed.
     *
     * @param loadBalancerClass the Service's class; empty for class-less Services
     * @param ferrite           whether Ferrite serves this Service (its class is the one Ferrite handles)
     * @param nodes             nodes whose speakers report announcing it; empty when nobody does
     */
    public record ServiceRow(String namespace, String name, List<IpAddress> ips, Optional<String> pool,
            List<String> nodes, Optional<String> loadBalancerClass, boolean ferrite, Optional<Instant> created) {
        public ServiceRow {
            ips = List.copyOf(ips);
            nodes = List.copyOf(nodes);
        }

        public String key() {
            return namespace + "/" + name;
        }
    }

    /**
     * Address counts of one family from the pool's status; the controller saturates counts at
     * 2^63-1, so a total that reaches that value means "at least".
     */
    public record FamilyCount(long used, long available) {
        public long total() {
            long t = used + available;
            return t < 0 ? Long.MAX_VALUE : t;
        }

        public boolean saturated() {
            return total() == Long.MAX_VALUE;
        }
    }

    /** A pool; a family's counts are empty until the controller has written them. */
    public record PoolRow(String name, Optional<FamilyCount> ipv4, Optional<FamilyCount> ipv6, boolean valid,
            Optional<Instant> created) {
    }

    /** A Ferrite LoadBalancer Service without an address, with the controller's newest reason. */
    public record PendingRow(String namespace, String name, Optional<String> reason, Optional<Instant> reasonAt,
            Optional<Instant> created) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** A Service whose IP a host outside the cluster claimed, from the speaker's newest ForeignClaim Event. */
    public record ClaimRow(String namespace, String name, String message, Optional<Instant> at) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** An address of a pool that a host outside the cluster uses, from the pool's status: not handed out. */
    public record InUseRow(String pool, String ip, String reason) {
    }

    /** A pool or advertisement whose {@code Valid} condition is False, with the problem found. */
    public record InvalidRow(String kind, String name, String error, Optional<Instant> since) {
    }

    public StatusReport {
        services = List.copyOf(services);
        pools = List.copyOf(pools);
        pending = List.copyOf(pending);
        invalid = List.copyOf(invalid);
        handoffs = List.copyOf(handoffs);
        foreignClaims = List.copyOf(foreignClaims);
        addressesInUse = List.copyOf(addressesInUse);
    }

    public static StatusReport build(ClusterObjects objects, Options options, Instant now) {
        Map<String, TreeSet<String>> announcers = announcers(objects.l2Statuses());
        Map<String, Event> reasons = newestAllocationFailures(objects.events());

        List<ServiceRow> services = new ArrayList<>();
        List<PendingRow> pending = new ArrayList<>();
        for (Service svc : objects.services()) {
            if (svc.getSpec() == null || !"LoadBalancer".equals(svc.getSpec().getType())) {
                continue;
            }
            String namespace = svc.getMetadata().getNamespace();
            String name = svc.getMetadata().getName();
            if (options.serviceNamespace().isPresent() && !options.serviceNamespace().get().equals(namespace)) {
                continue;
            }
            boolean ferrite = ServiceRequestParser.isLoadBalancer(svc, options.lbClass());
            if (!ferrite && !options.allClasses()) {
                continue;
            }
            List<IpAddress> ips = ServiceIngress.addresses(svc);
            String key = namespace + "/" + name;
            Optional<Instant> created = instant(svc.getMetadata().getCreationTimestamp());
            if (ferrite && ips.isEmpty()) {
                Event reason = reasons.get(key);
                // an Event for an earlier Service of the same name says nothing about this one
                if (reason != null && !sameObject(reason.getInvolvedObject(), svc)) {
                    reason = null;
                }
                pending.add(new PendingRow(namespace, name, Optional.ofNullable(reason).map(Event::getMessage),
                        Optional.ofNullable(reason).flatMap(StatusReport::eventTime), created));
                continue;
            }
            services.add(new ServiceRow(namespace, name, ips, ServiceIngress.pool(svc),
                    List.copyOf(announcers.getOrDefault(key, new TreeSet<>())),
                    Optional.ofNullable(svc.getSpec().getLoadBalancerClass()), ferrite, created));
        }
        services.sort(Comparator.comparing(ServiceRow::namespace).thenComparing(ServiceRow::name));
        pending.sort(Comparator.comparing(PendingRow::namespace).thenComparing(PendingRow::name));

        List<PoolRow> pools = new ArrayList<>();
        List<InvalidRow> invalid = new ArrayList<>();
        List<InUseRow> inUse = new ArrayList<>();
        for (IPAddressPool pool : objects.pools()) {
            IPAddressPoolStatus status = pool.getStatus();
            if (status != null && status.getAddressesInUse() != null) {
                status.getAddressesInUse().forEach(a -> inUse.add(new InUseRow(pool.getMetadata().getName(),
                        String.valueOf(a.getIp()), Objects.requireNonNullElse(a.getReason(), ""))));
            }
            Optional<Condition> problem = invalidCondition(status == null ? null : status.getConditions());
            pools.add(new PoolRow(pool.getMetadata().getName(),
                    count(status == null ? null : status.getAssignedIPv4(), status == null ? null : status.getAvailableIPv4()),
                    count(status == null ? null : status.getAssignedIPv6(), status == null ? null : status.getAvailableIPv6()),
                    problem.isEmpty(), instant(pool.getMetadata().getCreationTimestamp())));
            problem.ifPresent(c -> invalid.add(invalidRow(pool, c)));
        }
        for (L2Advertisement adv : objects.advertisements()) {
            invalidCondition(adv.getStatus() == null ? null : adv.getStatus().getConditions())
                    .ifPresent(c -> invalid.add(invalidRow(adv, c)));
        }
        pools.sort(Comparator.comparing(PoolRow::name));
        invalid.sort(Comparator.comparing(InvalidRow::kind).thenComparing(InvalidRow::name));
        List<ClaimRow> claims = new ArrayList<>();
        newest(objects.events(), FOREIGN_CLAIM).forEach((key, e) -> {
            String[] nsName = key.split("/", 2);
            claims.add(new ClaimRow(nsName[0], nsName[1], Objects.requireNonNullElse(e.getMessage(), ""), eventTime(e)));
        });
        claims.sort(Comparator.comparing(ClaimRow::key));
        inUse.sort(Comparator.comparing(InUseRow::pool).thenComparing(InUseRow::ip));
        return new StatusReport(now, services, pools, pending, invalid, handoffs(objects.l2Statuses()), claims, inUse);
    }

    /**
     * A Service IP in a flow handoff window: {@code node} announces it, and connections that
     * {@code fromNode} served are still routed there until {@code until}.
     */
    public record HandoffRow(String service, String ip, String node, String fromNode, Optional<Instant> until) {
    }

    private static List<HandoffRow> handoffs(List<ServiceL2Status> statuses) {
        List<HandoffRow> out = new ArrayList<>();
        for (ServiceL2Status s : statuses) {
            var st = s.getStatus();
            if (st == null || st.getHandoffs() == null || st.getServiceName() == null) {
                continue;
            }
            for (var h : st.getHandoffs()) {
                Optional<Instant> until;
                try {
                    until = Optional.ofNullable(h.getUntil()).map(Instant::parse);
                } catch (java.time.format.DateTimeParseException e) {
                    until = Optional.empty();
                }
                out.add(new HandoffRow(st.getServiceNamespace() + "/" + st.getServiceName(), String.valueOf(h.getIp()),
                        String.valueOf(st.getNode()), String.valueOf(h.getFromNode()), until));
            }
        }
        out.sort(Comparator.comparing(HandoffRow::service).thenComparing(HandoffRow::ip));
        return out;
    }

    /** Service key → nodes reporting to announce it. */
    private static Map<String, TreeSet<String>> announcers(List<ServiceL2Status> statuses) {
        Map<String, TreeSet<String>> out = new HashMap<>();
        for (ServiceL2Status s : statuses) {
            var st = s.getStatus();
            if (st == null || st.getNode() == null || st.getServiceName() == null || st.getServiceNamespace() == null) {
                continue;
            }
            out.computeIfAbsent(st.getServiceNamespace() + "/" + st.getServiceName(), k -> new TreeSet<>()).add(st.getNode());
        }
        return out;
    }

    /** Service key → its newest AllocationFailed Warning Event. */
    private static Map<String, Event> newestAllocationFailures(List<Event> events) {
        return newest(events, ALLOCATION_FAILED);
    }

    /** Service key → its newest Warning Event with {@code reason}. */
    private static Map<String, Event> newest(List<Event> events, String reason) {
        Map<String, Event> out = new HashMap<>();
        Comparator<Event> newer = Comparator.comparing((Event e) -> eventTime(e).orElse(Instant.MIN))
                .thenComparing(e -> e.getCount() == null ? 0 : e.getCount());
        for (Event e : events) {
            ObjectReference about = e.getInvolvedObject();
            if (!reason.equals(e.getReason()) || !"Warning".equals(e.getType()) || about == null
                    || !"Service".equals(about.getKind()) || about.getName() == null) {
                continue;
            }
            String namespace = about.getNamespace() != null ? about.getNamespace() : e.getMetadata().getNamespace();
            out.merge(namespace + "/" + about.getName(), e, (a, b) -> newer.compare(a, b) >= 0 ? a : b);
        }
        return out;
    }

    private static boolean sameObject(ObjectReference ref, Service svc) {
        String uid = svc.getMetadata().getUid();
        return ref.getUid() == null || uid == null || ref.getUid().equals(uid);
    }

    /** When the Event last happened: lastTimestamp, else eventTime, else firstTimestamp, else creation. */
    static Optional<Instant> eventTime(Event e) {
        return instant(e.getLastTimestamp())
                .or(() -> instant(e.getEventTime() == null ? null : e.getEventTime().getTime()))
                .or(() -> instant(e.getFirstTimestamp()))
                .or(() -> instant(e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp()));
    }

    private static Optional<FamilyCount> count(Long used, Long available) {
        if (used == null || available == null) {
            return Optional.empty();
        }
        return Optional.of(new FamilyCount(used, available));
    }

    private static Optional<Condition> invalidCondition(List<Condition> conditions) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream()
                .filter(c -> ConfigStatusWriter.CONDITION_TYPE.equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst();
    }

    private static InvalidRow invalidRow(HasMetadata object, Condition c) {
        String kind = object.getKind() != null ? object.getKind() : HasMetadata.getKind(object.getClass());
        String message = Objects.requireNonNullElse(c.getMessage(), "").isBlank()
                ? Objects.requireNonNullElse(c.getReason(), ConfigStatusWriter.REASON_INVALID)
                : c.getMessage();
        return new InvalidRow(kind, object.getMetadata().getName(), message, instant(c.getLastTransitionTime()));
    }

    private static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
