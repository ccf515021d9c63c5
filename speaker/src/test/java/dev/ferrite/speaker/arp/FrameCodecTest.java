package dev.ferrite.speaker.arp;

import static dev.ferrite.speaker.arp.Frames.hex;
import static dev.ferrite.speaker.arp.Frames.ip;
import static dev.ferrite.speaker.arp.Frames.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IcmpV6CommonPacket;

class FrameCodecTest {

    private static final MacAddress OURS = mac("02:fe:00:00:00:01");
    private static final MacAddress CLIENT = mac("02:00:00:00:00:0c");
    private static final IpAddress VIP = ip("198.18.99.200");
    private static final IpAddress VIP6 = ip("2001:db8:99::200");

    @Test
    void decodesAnArpRequestCapturedFromLinux() {
        Frame.ArpFrame arp = assertInstanceOf(Frame.ArpFrame.class, FrameCodec.decode(hex(Frames.KERNEL_ARP_REQUEST)));
        assertEquals(MacAddress.BROADCAST, arp.ethDestination());
        assertEquals(CLIENT, arp.ethSource());
        assertEquals(Frame.ArpOperation.REQUEST, arp.operation());
        assertEquals(CLIENT, arp.senderMac());
        assertEquals(ip("198.18.99.1"), arp.senderIp());
        assertEquals(MacAddress.ZERO, arp.targetMac());
        assertEquals(VIP, arp.targetIp());
    }

    @Test
    void decodesAnArpRequestPaddedToTheEthernetMinimum() {
        byte[] padded = Arrays.copyOf(hex(Frames.KERNEL_ARP_REQUEST), 60);
        assertEquals(VIP, ((Frame.ArpFrame) FrameCodec.decode(padded)).targetIp());
    }

    @Test
    void decodesANeighborSolicitationCapturedFromLinux() {
        Frame.NeighborSolicitation ns = assertInstanceOf(Frame.NeighborSolicitation.class,
                FrameCodec.decode(hex(Frames.KERNEL_NEIGHBOR_SOLICITATION)));
        assertEquals(mac("33:33:ff:00:02:00"), ns.ethDestination());
        assertEquals(CLIENT, ns.ethSource());
        assertEquals(ip("2001:db8:99::1"), ns.source());
        assertEquals(ip("ff02::1:ff00:200"), ns.destination());
        assertEquals(VIP6, ns.target());
        assertEquals(Optional.of(CLIENT), ns.sourceLinkLayer());
    }

    @Test
    void checksumMatchesTheOneLinuxComputed() {
        byte[] f = hex(Frames.KERNEL_NEIGHBOR_SOLICITATION);
        f[56] = 0;
        f[57] = 0;
        assertEquals(0x16ee, FrameCodec.icmpv6Checksum(f, 22, 38, 54, 32));
    }

    @Test
    void arpReplyHasExactBytes() {
        byte[] f = FrameCodec.arpReply(OURS, VIP, CLIENT, ip("198.18.99.1"));
        assertEquals("02000000000c" + "02fe00000001" + "0806" + "0001080006040002"
                + "02fe00000001" + "c61263c8" + "02000000000c" + "c6126301", hex(f));
    }

    @Test
    void gratuitousArpRequestHasSenderIpEqualTargetIpAndZeroTargetMac() {
        assertEquals("ffffffffffff" + "02fe00000001" + "0806" + "0001080006040001"
                + "02fe00000001" + "c61263c8" + "000000000000" + "c61263c8",
                hex(FrameCodec.gratuitousArpRequest(OURS, VIP)));
    }

    @Test
    void gratuitousArpReplyHasTargetMacEqualSenderMac() {
        assertEquals("ffffffffffff" + "02fe00000001" + "0806" + "0001080006040002"
                + "02fe00000001" + "c61263c8" + "02fe00000001" + "c61263c8",
                hex(FrameCodec.gratuitousArpReply(OURS, VIP)));
    }

    @Test
    void arpFramesRoundTripThroughTheDecoder() {
        Frame.ArpFrame g = (Frame.ArpFrame) FrameCodec.decode(FrameCodec.gratuitousArpReply(OURS, VIP));
        assertEquals(new Frame.ArpFrame(MacAddress.BROADCAST, OURS, Frame.ArpOperation.REPLY, OURS, VIP, OURS, VIP), g);
        Frame.ArpFrame q = (Frame.ArpFrame) FrameCodec.decode(FrameCodec.arpRequest(CLIENT, ip("198.18.99.1"), VIP));
        assertEquals(Frame.ArpOperation.REQUEST, q.operation());
        assertEquals(VIP, q.targetIp());
    }

    @Test
    void solicitedNeighborAdvertisementHasExactBytesAndAValidChecksum() throws Exception {
        byte[] f = FrameCodec.neighborAdvertisement(CLIENT, OURS, VIP6, ip("2001:db8:99::1"), VIP6, true);
        String expected = "02000000000c" + "02fe00000001" + "86dd"
                + "60000000" + "0020" + "3a" + "ff"
                + "20010db8009900000000000000000200" + "20010db8009900000000000000000001"
                + "88" + "00" + "CSUM" + "60000000"
                + "20010db8009900000000000000000200"
                + "02" + "01" + "02fe00000001";
        String actual = hex(f);
        assertEquals(86, f.length);
        assertEquals(expected.replace("CSUM", actual.substring(112, 116)), actual);
        assertIndependentlyValidChecksum(f, VIP6, ip("2001:db8:99::1"));
    }

    @Test
    void unsolicitedNeighborAdvertisementGoesToAllNodesWithOverrideOnly() throws Exception {
        byte[] f = FrameCodec.unsolicitedNeighborAdvertisement(OURS, VIP6);
        String h = hex(f);
        assertEquals("333300000001", h.substring(0, 12));
        assertEquals("ff020000000000000000000000000001", h.substring(76, 108));
        assertEquals("ff", h.substring(42, 44), "hop limit");
        assertEquals("20000000", h.substring(116, 124), "flags R=0 S=0 O=1");
        assertEquals("020102fe00000001", h.substring(156, 172), "target link-layer option");
        assertIndependentlyValidChecksum(f, VIP6, ip("ff02::1"));
    }

    @Test
    void checksumChangesWhenAnyCoveredByteChanges() {
        byte[] f = FrameCodec.unsolicitedNeighborAdvertisement(OURS, VIP6);
        for (int i : new int[] {22, 38, 62, 85}) {
            byte[] g = f.clone();
            g[i] ^= 0x10;
            assertTrue(FrameCodec.icmpv6Checksum(g, 22, 38, 54, 32) != 0, "flip at byte " + i + " not detected");
        }
        assertEquals(0, FrameCodec.icmpv6Checksum(f, 22, 38, 54, 32));
    }

    /** pcap4j's ICMPv6 code computes the checksum on its own; it must agree with ours. */
    private static void assertIndependentlyValidChecksum(byte[] frame, IpAddress source, IpAddress destination)
            throws Exception {
        IcmpV6CommonPacket icmp = IcmpV6CommonPacket.newPacket(frame, 54, frame.length - 54);
        assertTrue(icmp.getHeader().getChecksum() != 0);
        assertTrue(icmp.hasValidChecksum((Inet6Address) source.toInetAddress(),
                (Inet6Address) destination.toInetAddress(), false), "pcap4j rejects the checksum");
    }

    /** One row per way a frame can be broken, and the words that say so. */
    private record Broken(String name, byte[] frame, String reasonContains) {
    }

    private static byte[] edit(String hexFrame, Consumer<byte[]> change) {
        byte[] f = hex(hexFrame);
        change.accept(f);
        return f;
    }

    @Test
    void brokenFramesBecomeMalformedValuesThatSayWhy() {
        String arp = Frames.KERNEL_ARP_REQUEST;
        String ns = Frames.KERNEL_NEIGHBOR_SOLICITATION;
        List<Broken> rows = List.of(
                new Broken("empty", new byte[0], "truncated Ethernet header"),
                new Broken("13 bytes", new byte[13], "truncated Ethernet header"),
                new Broken("ARP cut short", Arrays.copyOf(hex(arp), 30), "truncated ARP: 16 of 28"),
                new Broken("ARP hardware type 6", edit(arp, f -> f[15] = 6), "htype 6"),
                new Broken("ARP for IPv6 protocol", edit(arp, f -> f[16] = (byte) 0x86), "ptype 0x8600"),
                new Broken("ARP opcode 3", edit(arp, f -> f[21] = 3), "opcode 3"),
                new Broken("IPv6 header cut short", Arrays.copyOf(hex(ns), 40), "truncated IPv6 header"),
                new Broken("IP version 4 in IPv6", edit(ns, f -> f[14] = 0x40), "IP version 4"),
                new Broken("NS payload cut short", Arrays.copyOf(hex(ns), 80), "truncated IPv6 payload"),
                new Broken("NS hop limit 64", edit(ns, f -> f[21] = 64), "hop limit 64"),
                new Broken("NS code 1", edit(ns, f -> {
                    f[55] = 1;
                    Frames.fixChecksum(f);
                }), "code 1"),
                new Broken("NS checksum wrong", edit(ns, f -> f[57] ^= 1), "checksum 0x16ef is wrong"),
                new Broken("NS shorter than its fixed part", edit(ns, f -> {
                    f[19] = 16;
                    Frames.fixChecksum(f);
                }), "needs 24"),
                new Broken("NS option of length 0", edit(ns, f -> {
                    f[79] = 0;
                    Frames.fixChecksum(f);
                }), "option of length 0"),
                new Broken("NS option past the end", edit(ns, f -> {
                    f[79] = 2;
                    Frames.fixChecksum(f);
                }), "runs past the message"),
                new Broken("NS for a multicast target", edit(ns, f -> {
                    f[62] = (byte) 0xff;
                    Frames.fixChecksum(f);
                }), "multicast target"),
                new Broken("NS from :: with a link-layer option", edit(ns, f -> {
                    Arrays.fill(f, 22, 38, (byte) 0);
                    Frames.fixChecksum(f);
                }), "from :: carries"));
        for (Broken row : rows) {
            Frame decoded = FrameCodec.decode(row.frame());
            Frame.Malformed m = assertInstanceOf(Frame.Malformed.class, decoded, row.name() + ": " + decoded);
            assertTrue(m.reason().contains(row.reasonContains()), row.name() + ": " + m.reason());
        }
    }

    @Test
    void otherProtocolsAreIgnoredNotMalformed() {
        byte[] ipv4 = edit(Frames.KERNEL_ARP_REQUEST, f -> f[13] = 0x00);
        byte[] echo = edit(Frames.KERNEL_NEIGHBOR_SOLICITATION, f -> {
            f[54] = (byte) 128;
            Frames.fixChecksum(f);
        });
        byte[] udp = edit(Frames.KERNEL_NEIGHBOR_SOLICITATION, f -> f[20] = 17);
        for (byte[] f : List.of(ipv4, echo, udp)) {
            assertInstanceOf(Frame.Ignored.class, FrameCodec.decode(f));
        }
    }

    @Test
    void noPrefixNoBitFlipAndNoRandomFrameThrows() {
        Random random = new Random(5227);
        for (String base : List.of(Frames.KERNEL_ARP_REQUEST, Frames.KERNEL_NEIGHBOR_SOLICITATION)) {
            byte[] f = hex(base);
            for (int n = 0; n <= f.length; n++) {
                assertNotNull(FrameCodec.decode(Arrays.copyOf(f, n)));
            }
            for (int i = 0; i < 5000; i++) {
                byte[] g = f.clone();
                g[random.nextInt(g.length)] ^= (byte) (1 << random.nextInt(8));
                assertNotNull(FrameCodec.decode(g));
            }
        }
        for (int i = 0; i < 5000; i++) {
            byte[] g = new byte[random.nextInt(120)];
            random.nextBytes(g);
            if (g.length > 13) {
                g[12] = (byte) (random.nextBoolean() ? 0x08 : 0x86);
                g[13] = (byte) (random.nextBoolean() ? 0x06 : 0xdd);
            }
            assertNotNull(FrameCodec.decode(g));
        }
    }

    @Test
    void arpProbeAsksFromTheUnspecifiedAddress() {
        Frame.ArpFrame p = (Frame.ArpFrame) FrameCodec.decode(FrameCodec.arpProbe(OURS, VIP));
        assertEquals(Frame.ArpOperation.REQUEST, p.operation());
        assertEquals(MacAddress.BROADCAST, p.ethDestination());
        assertEquals(IpAddress.ofV4(0), p.senderIp(), "RFC 5227: sender IP 0.0.0.0, so no cache learns from it");
        assertEquals(MacAddress.ZERO, p.targetMac());
        assertEquals(VIP, p.targetIp());
        assertEquals(OURS, p.senderMac());
    }

    @Test
    void duplicateAddressDetectionGoesFromTheUnspecifiedAddressToTheSolicitedNodeGroup() {
        byte[] f = FrameCodec.duplicateAddressDetection(OURS, VIP6);
        Frame.NeighborSolicitation ns = assertInstanceOf(Frame.NeighborSolicitation.class, FrameCodec.decode(f));
        assertEquals(ip("::"), ns.source());
        assertEquals(ip("ff02::1:ff00:200"), ns.destination());
        assertEquals(mac("33:33:ff:00:02:00"), ns.ethDestination());
        assertEquals(VIP6, ns.target());
        assertTrue(ns.sourceLinkLayer().isEmpty(), "RFC 4862: no source link-layer option from ::");
    }

    @Test
    void aNeighborSolicitationFromOurAddressCarriesOurMac() {
        // the asked node learns our MAC from the option (RFC 4861 §7.2.3); the decoder checks the checksum
        byte[] f = FrameCodec.neighborSolicitation(OURS, ip("2001:db8:99::12"), ip("2001:db8:99::11"));
        Frame.NeighborSolicitation ns = assertInstanceOf(Frame.NeighborSolicitation.class, FrameCodec.decode(f));
        assertEquals(ip("2001:db8:99::12"), ns.source());
        assertEquals(ip("ff02::1:ff00:11"), ns.destination());
        assertEquals(mac("33:33:ff:00:00:11"), ns.ethDestination());
        assertEquals(ip("2001:db8:99::11"), ns.target());
        assertEquals(Optional.of(OURS), ns.sourceLinkLayer());
        assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.neighborSolicitation(OURS, ip("198.18.99.12"), ip("2001:db8:99::11")));
    }

    @Test
    void neighborAdvertisementsDecodeWithTheirClaimedMac() {
        Frame.NeighborAdvertisement na = assertInstanceOf(Frame.NeighborAdvertisement.class,
                FrameCodec.decode(FrameCodec.unsolicitedNeighborAdvertisement(OURS, VIP6)));
        assertEquals(VIP6, na.target());
        assertEquals(OURS, na.claimedMac());
        assertTrue(na.override());
        byte[] badSum = FrameCodec.unsolicitedNeighborAdvertisement(OURS, VIP6);
        badSum[badSum.length - 1] ^= 1;
        assertInstanceOf(Frame.Malformed.class, FrameCodec.decode(badSum));
    }
}
