package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What this node announces for one Service: the IPs it owns, the interfaces they are on, and
 * those of its IPs in a flow handoff window.
 */
public record ServiceAnnouncement(ServiceKey service, String uid, List<IpAddress> ips, SortedSet<String> interfaces,
        List<Handoff> handoffs) {

    /** An announced IP whose previous owner {@code fromNode} still gets its flows until {@code until}. */
    public record Handoff(IpAddress ip, String fromNode, Instant until) {
    }

    public ServiceAnnouncement {
        ips = List.copyOf(ips);
        interfaces = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(interfaces));
        handoffs = List.copyOf(handoffs);
    }

    public ServiceAnnouncement(ServiceKey service, String uid, List<IpAddress> ips, SortedSet<String> interfaces) {
        this(service, uid, ips, interfaces, List.of());
    }

    /** The same announcement with these handoffs (those of its own IPs). */
    public ServiceAnnouncement withHandoffs(List<Handoff> all) {
        return new ServiceAnnouncement(service, uid, ips, interfaces,
                all.stream().filter(h -> ips.contains(h.ip())).toList());
    }
}
