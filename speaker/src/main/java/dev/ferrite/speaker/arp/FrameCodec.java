package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.Optional;

/**
 * Reads and writes the few Ethernet frames an L2 announcer deals with: ARP (RFC 826, with
 * the gratuitous forms of RFC 5227 §3) and the IPv6 Neighbor Solicitation and Advertisement
 * (RFC 4861 §4.3, §4.4). Bytes in, values out, and back; no I/O. Broken input becomes a
 * {@link Frame.Malformed} value saying what is wrong, never an exception.
 */
public final class FrameCodec {

    public static final int ETHERTYPE_IPV4_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERNET_HEADER = 14;
    static final int ARP_LENGTH = 28;
    static final int IPV6_HEADER = 40;
    static final int ICMPV6 = 58;
    static final int NEIGHBOR_SOLICITATION = 135;
    static final int NEIGHBOR_ADVERTISEMENT = 136;
    static final int OPTION_SOURCE_LINK_LAYER = 1;
    static final int OPTION_TARGET_LINK_LAYER = 2;
    /** Type, code, checksum, flags/reserved and the 16-byte target. */
    static final int NEIGHBOR_MESSAGE = 24;

    public static final IpAddress IPV6_ALL_NODES = IpAddress.parse("ff02::1").orElseThrow();
    /** {@code ::}, the source of a duplicate address detection probe (RFC 4862 §5.4.2). */
    private static final IpAddress IPV6_UNSPECIFIED = IpAddress.parse("::").orElseThrow();

    private FrameCodec() {
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes one captured frame (Ethernet II, no VLAN tag). */
    public static Frame decode(byte[] frame) {
        if (frame == null || frame.length < ETHERNET_HEADER) {
            return new Frame.Malformed("truncated Ethernet header: " + (frame == null ? 0 : frame.length) + " bytes");
        }
        int type = u16(frame, 12);
        return switch (type) {
            case ETHERTYPE_IPV4_ARP -> decodeArp(frame);
            case ETHERTYPE_IPV6 -> decodeIpv6(frame);
            default -> new Frame.Ignored("ethertype 0x" + Integer.toHexString(type));
        };
    }

    private static Frame decodeArp(byte[] f) {
        int o = ETHERNET_HEADER;
        if (f.length < o + ARP_LENGTH) {
            return new Frame.Malformed("truncated ARP: " + (f.length - o) + " of " + ARP_LENGTH + " bytes");
        }
        int htype = u16(f, o);
        int ptype = u16(f, o + 2);
        int hlen = f[o + 4] & 0xFF;
        int plen = f[o + 5] & 0xFF;
        int op = u16(f, o + 6);
        if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
            return new Frame.Malformed("ARP not IPv4 over Ethernet: htype " + htype + ", ptype 0x"
                    + Integer.toHexString(ptype) + ", hlen " + hlen + ", plen " + plen);
        }
        Frame.ArpOperation operation;
        if (op == 1) {
            operation = Frame.ArpOperation.REQUEST;
        } else if (op == 2) {
            operation = Frame.ArpOperation.REPLY;
        } else {
            return new Frame.Malformed("ARP opcode " + op + " is neither request (1) nor reply (2)");
        }
        return new Frame.ArpFrame(MacAddress.of(f, 0), MacAddress.of(f, 6), operation,
                MacAddress.of(f, o + 8), ipv4(f, o + 14), MacAddress.of(f, o + 18), ipv4(f, o + 24));
    }

    private static Frame decodeIpv6(byte[] f) {
        int ip = ETHERNET_HEADER;
        if (f.length < ip + IPV6_HEADER) {
            return new Frame.Malformed("truncated IPv6 header: " + (f.length - ip) + " of " + IPV6_HEADER + " bytes");
        }
        if ((f[ip] & 0xF0) != 0x60) {
            return new Frame.Malformed("IPv6 ethertype but IP version " + ((f[ip] & 0xF0) >> 4));
        }
        int payloadLength = u16(f, ip + 4);
        int nextHeader = f[ip + 6] & 0xFF;
        int hopLimit = f[ip + 7] & 0xFF;
        if (nextHeader != ICMPV6) {
            return new Frame.Ignored("IPv6 next header " + nextHeader);
        }
        int icmp = ip + IPV6_HEADER;
        if (f.length < icmp + payloadLength) {
            return new Frame.Malformed("truncated IPv6 payload: " + (f.length - icmp) + " of " + payloadLength + " bytes");
        }
        if (payloadLength < 4) {
            return new Frame.Malformed("ICMPv6 message of " + payloadLength + " bytes");
        }
        int icmpType = f[icmp] & 0xFF;
        if (icmpType == NEIGHBOR_ADVERTISEMENT) {
            return decodeAdvertisement(f, ip, icmp, payloadLength, hopLimit);
        }
        if (icmpType != NEIGHBOR_SOLICITATION) {
            return new Frame.Ignored("ICMPv6 type " + icmpType);
        }
        Optional<Frame.Malformed> problem = neighborMessageProblem("Neighbor Solicitation", f, ip, icmp, payloadLength, hopLimit);
        if (problem.isPresent()) {
            return problem.get();
        }
        LinkLayerOption option = linkLayerOption("Neighbor Solicitation", f, icmp, payloadLength, OPTION_SOURCE_LINK_LAYER);
        if (option.malformed().isPresent()) {
            return option.malformed().get();
        }
        IpAddress source = ipv6(f, ip + 8);
        boolean unspecified = source.hi() == 0 && source.lo() == 0;
        if (unspecified && option.mac().isPresent()) {
            return new Frame.Malformed("Neighbor Solicitation from :: carries a source link-layer option");
        }
        return new Frame.NeighborSolicitation(MacAddress.of(f, 0), MacAddress.of(f, 6), source, ipv6(f, ip + 24),
                ipv6(f, icmp + 8), option.mac());
    }

    /** RFC 4861 §7.1.2: hop limit 255, code 0, at least 24 bytes, a valid checksum, a unicast target. */
    private static Frame decodeAdvertisement(byte[] f, int ip, int icmp, int payloadLength, int hopLimit) {
        Optional<Frame.Malformed> problem = neighborMessageProblem("Neighbor Advertisement", f, ip, icmp, payloadLength, hopLimit);
        if (problem.isPresent()) {
            return problem.get();
        }
        LinkLayerOption option = linkLayerOption("Neighbor Advertisement", f, icmp, payloadLength, OPTION_TARGET_LINK_LAYER);
        if (option.malformed().isPresent()) {
            return option.malformed().get();
        }
        int flags = f[icmp + 4] & 0xFF;
        return new Frame.NeighborAdvertisement(MacAddress.of(f, 0), MacAddress.of(f, 6), ipv6(f, ip + 8), ipv6(f, icmp + 8),
                (flags & 0x40) != 0, (flags & 0x20) != 0, option.mac());
    }

    /** What both neighbour messages must have (RFC 4861 §7.1): hop limit 255, code 0, 24 bytes, the checksum, a unicast target. */
    private static Optional<Frame.Malformed> neighborMessageProblem(String message, byte[] f, int ip, int icmp,
                                                                    int payloadLength, int hopLimit) {
        if (hopLimit != 255) {
            return Optional.of(new Frame.Malformed(message + " with hop limit " + hopLimit + ", must be 255"));
        }
        if ((f[icmp + 1] & 0xFF) != 0) {
            return Optional.of(new Frame.Malformed(message + " with code " + (f[icmp + 1] & 0xFF) + ", must be 0"));
        }
        if (payloadLength < NEIGHBOR_MESSAGE) {
            return Optional.of(new Frame.Malformed(message + " of " + payloadLength + " bytes, needs " + NEIGHBOR_MESSAGE));
        }
        if (icmpv6Checksum(f, ip + 8, ip + 24, icmp, payloadLength) != 0) {
            return Optional.of(new Frame.Malformed(message + " checksum 0x" + Integer.toHexString(u16(f, icmp + 2)) + " is wrong"));
        }
        if ((f[icmp + 8] & 0xFF) == 0xFF) {
            return Optional.of(new Frame.Malformed(message + " for multicast target " + ipv6(f, icmp + 8)));
        }
        return Optional.empty();
    }

    /** The link-layer address option of one type after the fixed 24 bytes, or why the options are broken. */
    private record LinkLayerOption(Optional<MacAddress> mac, Optional<Frame.Malformed> malformed) {
    }

    /** Walks every option (each must be whole and non-empty), keeping the link-layer address of type {@code wanted}. */
    private static LinkLayerOption linkLayerOption(String message, byte[] f, int icmp, int payloadLength, int wanted) {
        Optional<MacAddress> mac = Optional.empty();
        int opt = icmp + NEIGHBOR_MESSAGE;
        int end = icmp + payloadLength;
        while (opt < end) {
            if (end - opt < 2) {
                return broken(message + " option header cut off");
            }
            int optType = f[opt] & 0xFF;
            int optLength = (f[opt + 1] & 0xFF) * 8;
            if (optLength == 0) {
                return broken(message + " option of length 0");
            }
            if (opt + optLength > end) {
                return broken(message + " option " + optType + " runs past the message");
            }
            if (optType == wanted && optLength >= 8) {
                mac = Optional.of(MacAddress.of(f, opt + 2));
            }
            opt += optLength;
        }
        return new LinkLayerOption(mac, Optional.empty());
    }

    private static LinkLayerOption broken(String reason) {
        return new LinkLayerOption(Optional.empty(), Optional.of(new Frame.Malformed(reason)));
    }

    // ---------------------------------------------------------------- ARP

    /** An ARP reply telling {@code toMac}/{@code toIp} that {@code ip} is at {@code ourMac}. */
    public static byte[] arpReply(MacAddress ourMac, IpAddress ip, MacAddress toMac, IpAddress toIp) {
        return arp(toMac, ourMac, 2, ourMac, ip, toMac, toIp);
    }

    /** An ARP request from {@code senderMac}/{@code senderIp} asking who has {@code targetIp}, broadcast. */
    public static byte[] arpRequest(MacAddress senderMac, IpAddress senderIp, IpAddress targetIp) {
        return arp(MacAddress.BROADCAST, senderMac, 1, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    /**
     * An RFC 5227 ARP probe: "who has {@code ip}?" from sender IP 0.0.0.0, so that no
     * neighbour cache learns anything from it; a host using {@code ip} answers.
     */
    public static byte[] arpProbe(MacAddress mac, IpAddress ip) {
        return arp(MacAddress.BROADCAST, mac, 1, mac, IpAddress.ofV4(0), MacAddress.ZERO, ip);
    }

    /** Gratuitous ARP, request form: sender IP = target IP = {@code ip}, target MAC zero, broadcast. */
    public static byte[] gratuitousArpRequest(MacAddress mac, IpAddress ip) {
        return arp(MacAddress.BROADCAST, mac, 1, mac, ip, MacAddress.ZERO, ip);
    }

    /** Gratuitous ARP, reply form: sender = target = {@code ip}/{@code mac}, broadcast. */
    public static byte[] gratuitousArpReply(MacAddress mac, IpAddress ip) {
        return arp(MacAddress.BROADCAST, mac, 2, mac, ip, mac, ip);
    }

    private static byte[] arp(MacAddress ethDst, MacAddress ethSrc, int op, MacAddress sha, IpAddress spa,
            MacAddress tha, IpAddress tpa) {
        requireFamily(spa, IpFamily.IPv4);
        requireFamily(tpa, IpFamily.IPv4);
        byte[] f = new byte[ETHERNET_HEADER + ARP_LENGTH];
        ethDst.writeTo(f, 0);
        ethSrc.writeTo(f, 6);
        put16(f, 12, ETHERTYPE_IPV4_ARP);
        int o = ETHERNET_HEADER;
        put16(f, o, 1);
        put16(f, o + 2, 0x0800);
        f[o + 4] = 6;
        f[o + 5] = 4;
        put16(f, o + 6, op);
        sha.writeTo(f, o + 8);
        System.arraycopy(spa.toBytes(), 0, f, o + 14, 4);
        tha.writeTo(f, o + 18);
        System.arraycopy(tpa.toBytes(), 0, f, o + 24, 4);
        return f;
    }

    // ---------------------------------------------------------------- NDP

    /**
     * A Neighbor Advertisement for {@code target} at {@code ourMac} with the Override flag and
     * a target link-layer address option, from {@code source} to {@code destination}.
     */
    public static byte[] neighborAdvertisement(MacAddress ethDestination, MacAddress ourMac, IpAddress source,
            IpAddress destination, IpAddress target, boolean solicited) {
        requireFamily(source, IpFamily.IPv6);
        requireFamily(destination, IpFamily.IPv6);
        requireFamily(target, IpFamily.IPv6);
        int icmpLength = NEIGHBOR_MESSAGE + 8;
        byte[] f = icmpv6Frame(ethDestination, ourMac, source, destination, icmpLength);
        int ip = ETHERNET_HEADER;
        int icmp = ip + IPV6_HEADER;
        f[icmp] = (byte) NEIGHBOR_ADVERTISEMENT;
        // Router = 0, Solicited as asked, Override = 1: we are taking the address over.
        f[icmp + 4] = (byte) ((solicited ? 0x40 : 0) | 0x20);
        System.arraycopy(target.toBytes(), 0, f, icmp + 8, 16);
        f[icmp + 24] = (byte) OPTION_TARGET_LINK_LAYER;
        f[icmp + 25] = 1;
        ourMac.writeTo(f, icmp + 26);
        put16(f, icmp + 2, icmpv6Checksum(f, ip + 8, ip + 24, icmp, icmpLength));
        return f;
    }

    /**
     * RFC 4862 §5.4 duplicate address detection: a Neighbor Solicitation for {@code target} from
     * the unspecified address to its solicited-node group, without a source link-layer option.
     * A host using {@code target} answers with an advertisement to all nodes.
     */
    public static byte[] duplicateAddressDetection(MacAddress mac, IpAddress target) {
        return solicitation(mac, IPV6_UNSPECIFIED, target);
    }

    /**
     * A Neighbor Solicitation for {@code target} from {@code source}, an address of ours, to
     * the target's solicited-node group with our source link-layer option: the target learns
     * our MAC from it (RFC 4861 §7.2.3) and answers us with its own, the IPv6 form of
     * {@link #arpRequest}.
     */
    public static byte[] neighborSolicitation(MacAddress mac, IpAddress source, IpAddress target) {
        requireFamily(source, IpFamily.IPv6);
        return solicitation(mac, source, target);
    }

    /** A solicitation to {@code target}'s solicited-node group; with a source link-layer option unless from {@code ::}. */
    private static byte[] solicitation(MacAddress mac, IpAddress source, IpAddress target) {
        requireFamily(target, IpFamily.IPv6);
        IpAddress group = new IpAddress(IpFamily.IPv6, 0xff02_0000_0000_0000L, 0x0000_0001_ff00_0000L | (target.lo() & 0xFF_FFFFL));
        MacAddress groupMac = new MacAddress(0x3333_ff00_0000L | (target.lo() & 0xFF_FFFFL));
        boolean option = !source.equals(IPV6_UNSPECIFIED);
        int icmpLength = NEIGHBOR_MESSAGE + (option ? 8 : 0);
        byte[] f = icmpv6Frame(groupMac, mac, source, group, icmpLength);
        int ip = ETHERNET_HEADER;
        int icmp = ip + IPV6_HEADER;
        f[icmp] = (byte) NEIGHBOR_SOLICITATION;
        System.arraycopy(target.toBytes(), 0, f, icmp + 8, 16);
        if (option) {
            f[icmp + 24] = (byte) OPTION_SOURCE_LINK_LAYER;
            f[icmp + 25] = 1;
            mac.writeTo(f, icmp + 26);
        }
        put16(f, icmp + 2, icmpv6Checksum(f, ip + 8, ip + 24, icmp, icmpLength));
        return f;
    }

    /**
     * An Ethernet frame with the IPv6 header of an ICMPv6 message of {@code icmpLength} bytes,
     * hop limit 255 (receivers drop neighbour messages with any other, RFC 4861 §7.1); the
     * message itself is left zero for the caller to fill in.
     */
    private static byte[] icmpv6Frame(MacAddress ethDestination, MacAddress ethSource, IpAddress source,
            IpAddress destination, int icmpLength) {
        byte[] f = new byte[ETHERNET_HEADER + IPV6_HEADER + icmpLength];
        ethDestination.writeTo(f, 0);
        ethSource.writeTo(f, 6);
        put16(f, 12, ETHERTYPE_IPV6);
        int ip = ETHERNET_HEADER;
        f[ip] = 0x60;
        put16(f, ip + 4, icmpLength);
        f[ip + 6] = (byte) ICMPV6;
        f[ip + 7] = (byte) 255;
        System.arraycopy(source.toBytes(), 0, f, ip + 8, 16);
        System.arraycopy(destination.toBytes(), 0, f, ip + 24, 16);
        return f;
    }

    /** Unsolicited Neighbor Advertisement (Override=1) for {@code ip} to all nodes, ff02::1. */
    public static byte[] unsolicitedNeighborAdvertisement(MacAddress mac, IpAddress ip) {
        return neighborAdvertisement(MacAddress.IPV6_ALL_NODES, mac, ip, IPV6_ALL_NODES, ip, false);
    }

    /**
     * Internet checksum (RFC 1071) of the ICMPv6 message at {@code [icmp, icmp+length)} with
     * the IPv6 pseudo-header (RFC 8200 §8.1). Over a message whose checksum field is filled
     * in, a correct one yields 0.
     */
    static int icmpv6Checksum(byte[] f, int sourceOffset, int destinationOffset, int icmp, int length) {
        long sum = 0;
        for (int i = 0; i < 16; i += 2) {
            sum += u16(f, sourceOffset + i) + u16(f, destinationOffset + i);
        }
        sum += length;
        sum += ICMPV6;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += u16(f, icmp + i);
        }
        if ((length & 1) != 0) {
            sum += (f[icmp + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    // ---------------------------------------------------------------- bytes

    private static void requireFamily(IpAddress ip, IpFamily family) {
        if (ip.family() != family) {
            throw new IllegalArgumentException(ip + " is not " + family);
        }
    }

    private static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    private static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    private static IpAddress ipv4(byte[] b, int o) {
        return IpAddress.ofV4(((long) (b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8)
                | (b[o + 3] & 0xFF));
    }

    private static IpAddress ipv6(byte[] b, int o) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[o + i] & 0xFF);
            lo = (lo << 8) | (b[o + 8 + i] & 0xFF);
        }
        return new IpAddress(IpFamily.IPv6, hi, lo);
    }
}
