package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The election outcome for every (Service, IP) pair of one snapshot. It is the same on every
 * speaker given the same inputs; each speaker then picks out the IPs it owns.
 */
public record OwnershipPlan(SortedMap<ServiceKey, SortedMap<IpAddress, Decision>> byService) {

    public OwnershipPlan {
        byService = Collections.unmodifiableSortedMap(new TreeMap<>(byService));
    }

    /** Outcome of the election for one IP of one Service. */
    public sealed interface Decision {
    }

    /**
     * {@code node} announces; {@code interfaces} as advertised (empty: every suitable one);
     * {@code garpRefresh} the advertisements' own refresh period (empty: the speaker's).
     */
    public record Owner(String node, Set<String> interfaces, Optional<Duration> garpRefresh) implements Decision {
        public Owner {
            interfaces = Set.copyOf(interfaces);
        }

        public Owner(String node, Set<String> interfaces) {
            this(node, interfaces, Optional.empty());
        }
    }

    /** Nobody announces, e.g. no ready endpoint or no advertisement for the pool. */
    public record Unowned(String reason) implements Decision {
    }

    /**
     * IPs {@code node} must announce, with the advertised interfaces. An IP shared by several
     * Services is owned when any of them elects the node (they elect the same node unless their
     * endpoints differ), and its interfaces are the union.
     */
    public SortedMap<IpAddress, Set<String>> ownedBy(String node) {
        SortedMap<IpAddress, Set<String>> owned = new TreeMap<>();
        for (Map<IpAddress, Decision> ips : byService.values()) {
            for (Map.Entry<IpAddress, Decision> e : ips.entrySet()) {
                if (e.getValue() instanceof Owner o && o.node().equals(node)) {
                    owned.merge(e.getKey(), o.interfaces(), OwnershipPlan::union);
                }
            }
        }
        return owned;
    }

    /**
     * The refresh period of each IP {@code node} owns whose advertisements set one; for an IP
     * shared by several Services, the shortest.
     */
    public SortedMap<IpAddress, Duration> refreshBy(String node) {
        SortedMap<IpAddress, Duration> out = new TreeMap<>();
        for (Map<IpAddress, Decision> ips : byService.values()) {
            for (Map.Entry<IpAddress, Decision> e : ips.entrySet()) {
                if (e.getValue() instanceof Owner o && o.node().equals(node) && o.garpRefresh().isPresent()) {
                    out.merge(e.getKey(), o.garpRefresh().get(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            }
        }
        return out;
    }

    /** Services with at least one IP owned by {@code node}, and those IPs. */
    public SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> servicesOwnedBy(String node) {
        SortedMap<ServiceKey, SortedMap<IpAddress, Set<String>>> out = new TreeMap<>();
        for (Map.Entry<ServiceKey, SortedMap<IpAddress, Decision>> s : byService.entrySet()) {
            for (Map.Entry<IpAddress, Decision> e : s.getValue().entrySet()) {
                if (e.getValue() instanceof Owner o && o.node().equals(node)) {
                    out.computeIfAbsent(s.getKey(), k -> new TreeMap<>()).put(e.getKey(), o.interfaces());
                }
            }
        }
        return out;
    }

    public Decision decision(ServiceKey service, IpAddress ip) {
        Map<IpAddress, Decision> ips = byService.get(service);
        Decision d = ips == null ? null : ips.get(ip);
        return d != null ? d : new Unowned("service is not announced");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        // An empty set means "every suitable interface", which already covers any named ones.
        if (a.isEmpty() || b.isEmpty()) {
            return Set.of();
        }
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
