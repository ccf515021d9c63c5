package dev.ferrite.speaker.arp.pcap;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPv6 solicited-node multicast groups joined on one interface for the IPv6 addresses
 * announced there. NICs drop multicast for groups nobody joined, and the kernel joins the
 * group of a VIP only when the VIP is on this interface; joining it makes Neighbor
 * Solicitations for the VIP reach the capture. Several VIPs share a group (the low 24 bits),
 * so a group is left when its last VIP is withdrawn. IPv4 addresses are ignored.
 */
final class SolicitedNodeGroups {

    private static final Logger log = LoggerFactory.getLogger(SolicitedNodeGroups.class);

    private final String name;
    private DatagramChannel channel;
    private final Map<InetAddress, Set<IpAddress>> members = new HashMap<>();
    private final Map<InetAddress, MembershipKey> keys = new HashMap<>();

    SolicitedNodeGroups(String name) {
        this.name = name;
    }

    /** Joins the group of {@code ip} on this interface; a failure is logged, not thrown. */
    synchronized void join(IpAddress ip) {
        if (ip.family() != IpFamily.IPv6) {
            return;
        }
        InetAddress group = solicitedNodeGroup(ip);
        try {
            if (channel == null) {
                channel = DatagramChannel.open(StandardProtocolFamily.INET6);
            }
            NetworkInterface nif = NetworkInterface.getByName(name);
            if (nif == null) {
                return;
            }
            if (!keys.containsKey(group)) {
                keys.put(group, channel.join(group, nif));
            }
            members.computeIfAbsent(group, g -> new HashSet<>()).add(ip);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot join {} on interface {} for {}; solicitations may not reach us: {}", group, name,
                    ip, e.getMessage());
        }
    }

    /** Leaves the group of {@code ip} unless another announced IP still needs it. */
    synchronized void leave(IpAddress ip) {
        if (ip.family() != IpFamily.IPv6) {
            return;
        }
        InetAddress group = solicitedNodeGroup(ip);
        Set<IpAddress> ips = members.get(group);
        if (ips == null || !ips.remove(ip) || !ips.isEmpty()) {
            return;
        }
        members.remove(group);
        MembershipKey key = keys.remove(group);
        if (key != null) {
            key.drop();
        }
    }

    /** Leaves every group. */
    synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing multicast channel of {}: {}", name, e.getMessage());
            }
        }
    }

    /** ff02::1:ffXX:XXXX, where XX:XXXX are the low 24 bits of {@code ip} (RFC 4291 §2.7.1). */
    static InetAddress solicitedNodeGroup(IpAddress ip) {
        byte[] b = new byte[16];
        b[0] = (byte) 0xff;
        b[1] = 0x02;
        b[11] = 0x01;
        b[12] = (byte) 0xff;
        byte[] a = ip.toBytes();
        System.arraycopy(a, 13, b, 13, 3);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
