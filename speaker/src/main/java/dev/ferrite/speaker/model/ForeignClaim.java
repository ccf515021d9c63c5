package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;

/**
 * A host outside the cluster claims an IP this node announces: seen on {@code interfaceName}
 * as {@code how} (an ARP reply, a gratuitous ARP, a Neighbor Advertisement, ...) from
 * {@code mac}. {@code defended}: this node re-sent its own announcements in answer.
 */
public record ForeignClaim(IpAddress ip, String mac, String how, String interfaceName, boolean defended) {
}
