package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What this node announces for one Service: the IPs it owns, the interfaces they are on,
 * those of its IPs in a flow handoff window, and the hosts outside the cluster seen using its
 * IPs ({@code conflicts}; an IP found in use before announcing is in {@code conflicts}, not in
 * {@code ips}).
 */
public record ServiceAnnouncement(ServiceKey service, String uid, List<IpAddress> ips, SortedSet<String> interfaces,
        List<Handoff> handoffs, List<AddressConflict> conflicts) {

    /** An announced IP whose previous owner {@code fromNode} still gets its flows until {@code until}. */
    public record Handoff(IpAddress ip, String fromNode, Instant until) {
    }

    public ServiceAnnouncement {
        ips = List.copyOf(ips);
        interfaces = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(interfaces));
        handoffs = List.copyOf(handoffs);
        conflicts = conflicts.stream().sorted().toList();
    }

    public ServiceAnnouncement(ServiceKey service, String uid, List<IpAddress> ips, SortedSet<String> interfaces,
            List<Handoff> handoffs) {
        this(service, uid, ips, interfaces, handoffs, List.of());
    }

    public ServiceAnnouncement(ServiceKey service, String uid, List<IpAddress> ips, SortedSet<String> interfaces) {
        this(service, uid, ips, interfaces, List.of(), List.of());
    }

    /** The same announcement with these handoffs (those of its own IPs). */
    public ServiceAnnouncement withHandoffs(List<Handoff> all) {
        return new ServiceAnnouncement(service, uid, ips, interfaces,
                all.stream().filter(h -> ips.contains(h.ip())).toList(), conflicts);
    }

    /** The same announcement with these conflicts instead of its own. */
    public ServiceAnnouncement withConflicts(List<AddressConflict> now) {
        return new ServiceAnnouncement(service, uid, ips, interfaces, handoffs, now);
    }
}
