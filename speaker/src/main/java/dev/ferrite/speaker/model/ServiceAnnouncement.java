package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** What this node announces for one Service: the IPs it owns and the interfaces they are on. */
public record ServiceAnnouncement(ServiceKey service, String uid, List<IpAddress> ips, SortedSet<String> interfaces) {

    public ServiceAnnouncement {
        ips = List.copyOf(ips);
        interfaces = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(interfaces));
    }
}
