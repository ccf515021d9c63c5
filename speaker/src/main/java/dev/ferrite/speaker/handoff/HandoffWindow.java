package dev.ferrite.speaker.handoff;

import dev.ferrite.api.net.IpAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One Service IP this node took over while the previous owner's node still holds the
 * connection state of the flows it served: until {@code until}, packets of flows this node
 * does not know are routed to {@code via}, the previous owner's node address.
 *
 * @param ip       the Service IP
 * @param fromNode the node that owned {@code ip} before this node
 * @param via      that node's address on the shared link (its InternalIP)
 * @param opened   when this node took the IP over
 * @param until    when the window closes at the latest
 */
public record HandoffWindow(IpAddress ip, String fromNode, IpAddress via, Instant opened, Instant until) {

    public HandoffWindow {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(fromNode, "fromNode");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(opened, "opened");
        Objects.requireNonNull(until, "until");
    }
}
