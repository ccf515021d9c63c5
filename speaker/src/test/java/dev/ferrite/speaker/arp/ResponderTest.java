package dev.ferrite.speaker.arp;

import static dev.ferrite.speaker.arp.Frames.hex;
import static dev.ferrite.speaker.arp.Frames.ip;
import static dev.ferrite.speaker.arp.Frames.mac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ResponderTest {

    private static final MacAddress ETH0 = mac("02:fe:00:00:00:01");
    private static final MacAddress ETH1 = mac("02:fe:00:00:00:02");
    private static final MacAddress CLIENT = mac("02:00:00:00:00:0c");
    private static final IpAddress CLIENT_IP = ip("198.18.99.1");
    private static final IpAddress CLIENT_IP6 = ip("2001:db8:99::1");
    private static final IpAddress VIP = ip("198.18.99.200");
    private static final IpAddress VIP6 = ip("2001:db8:99::200");
    private static final IpAddress OTHER = ip("198.18.99.201");
    private static final Predicate<IpAddress> OWNS_VIPS = Set.of(VIP, VIP6)::contains;

    private static Frame arp(MacAddress ethDst, MacAddress ethSrc, Frame.ArpOperation op, IpAddress sender,
            IpAddress target) {
        return new Frame.ArpFrame(ethDst, ethSrc, op, ethSrc, sender, MacAddress.ZERO, target);
    }

    private static Frame solicitation(MacAddress ethDst, IpAddress source, IpAddress target, Optional<MacAddress> slla) {
        return FrameCodec.decode(Frames.solicitation(ethDst, CLIENT, source, ip("ff02::1:ff00:200"), target, slla));
    }

    @Test
    void answersABroadcastArpRequestForAnOwnedIpWithTheInterfaceMac() {
        Frame request = FrameCodec.decode(hex(Frames.KERNEL_ARP_REQUEST));
        for (MacAddress iface : new MacAddress[] {ETH0, ETH1}) {
            Responder.Reply reply = assertInstanceOf(Responder.Reply.class, Responder.answer(request, iface, OWNS_VIPS));
            assertEquals(new Frame.ArpFrame(CLIENT, iface, Frame.ArpOperation.REPLY, iface, VIP, CLIENT, CLIENT_IP),
                    FrameCodec.decode(reply.frame()));
            assertEquals(VIP, reply.ip());
            assertEquals(CLIENT, reply.to());
        }
    }

    @Test
    void answersAProbeSoTheOwnerDefendsItsAddress() {
        Frame probe = arp(MacAddress.BROADCAST, CLIENT, Frame.ArpOperation.REQUEST, IpAddress.ofV4(0), VIP);
        Responder.Reply reply = assertInstanceOf(Responder.Reply.class, Responder.answer(probe, ETH0, OWNS_VIPS));
        Frame.ArpFrame decoded = (Frame.ArpFrame) FrameCodec.decode(reply.frame());
        assertEquals(IpAddress.ofV4(0), decoded.targetIp());
        assertEquals(CLIENT, decoded.ethDestination());
    }

    @Test
    void answersANeighborSolicitationWithASolicitedAdvertisementToItsSender() {
        Frame ns = FrameCodec.decode(hex(Frames.KERNEL_NEIGHBOR_SOLICITATION));
        Responder.Reply reply = assertInstanceOf(Responder.Reply.class, Responder.answer(ns, ETH1, OWNS_VIPS));
        assertEquals(Frames.hex(FrameCodec.neighborAdvertisement(CLIENT, ETH1, VIP6, CLIENT_IP6, VIP6, true)),
                Frames.hex(reply.frame()));
    }

    @Test
    void solicitationWithoutLinkLayerOptionIsAnsweredToTheEthernetSource() {
        Frame ns = solicitation(mac("33:33:ff:00:02:00"), CLIENT_IP6, VIP6, Optional.empty());
        Responder.Reply reply = assertInstanceOf(Responder.Reply.class, Responder.answer(ns, ETH0, OWNS_VIPS));
        assertEquals(CLIENT, reply.to());
    }

    @Test
    void duplicateAddressDetectionIsAnsweredToAllNodesUnsolicited() {
        Frame ns = solicitation(mac("33:33:ff:00:02:00"), ip("::"), VIP6, Optional.empty());
        Responder.Reply reply = assertInstanceOf(Responder.Reply.class, Responder.answer(ns, ETH0, OWNS_VIPS));
        assertEquals(Frames.hex(FrameCodec.unsolicitedNeighborAdvertisement(ETH0, VIP6)), Frames.hex(reply.frame()));
    }

    @Test
    void aNodeHandingItsIpsOverLeavesTheSuccessorsProbesUnanswered() {
        Frame arpProbe = arp(MacAddress.BROADCAST, CLIENT, Frame.ArpOperation.REQUEST, IpAddress.ofV4(0), VIP);
        Frame dad = solicitation(mac("33:33:ff:00:02:00"), ip("::"), VIP6, Optional.empty());
        assertInstanceOf(Responder.Silence.class, Responder.answer(arpProbe, ETH0, OWNS_VIPS, true));
        assertInstanceOf(Responder.Silence.class, Responder.answer(dad, ETH0, OWNS_VIPS, true));
        // a client that asks still gets the answer, to itself only, until the IP is withdrawn
        Frame request = FrameCodec.decode(hex(Frames.KERNEL_ARP_REQUEST));
        Frame ns = FrameCodec.decode(hex(Frames.KERNEL_NEIGHBOR_SOLICITATION));
        assertEquals(CLIENT, assertInstanceOf(Responder.Reply.class, Responder.answer(request, ETH0, OWNS_VIPS, true)).to());
        assertEquals(CLIENT, assertInstanceOf(Responder.Reply.class, Responder.answer(ns, ETH0, OWNS_VIPS, true)).to());
    }

    @Test
    void unicastQuestionsToOurMacAreAnswered() {
        Frame arpToUs = arp(ETH0, CLIENT, Frame.ArpOperation.REQUEST, CLIENT_IP, VIP);
        Frame nsToUs = solicitation(ETH0, CLIENT_IP6, VIP6, Optional.of(CLIENT));
        assertInstanceOf(Responder.Reply.class, Responder.answer(arpToUs, ETH0, OWNS_VIPS));
        assertInstanceOf(Responder.Reply.class, Responder.answer(nsToUs, ETH0, OWNS_VIPS));
    }

    @Test
    void staysSilentWheneverAnsweringWouldBeWrong() {
        Map<String, Frame> rows = new LinkedHashMap<>();
        rows.put("ARP for an IP we do not own", arp(MacAddress.BROADCAST, CLIENT, Frame.ArpOperation.REQUEST, CLIENT_IP, OTHER));
        rows.put("ARP unicast to another host", arp(ETH1, CLIENT, Frame.ArpOperation.REQUEST, CLIENT_IP, VIP));
        rows.put("ARP reply", arp(MacAddress.BROADCAST, CLIENT, Frame.ArpOperation.REPLY, CLIENT_IP, VIP));
        rows.put("our own request", arp(MacAddress.BROADCAST, ETH0, Frame.ArpOperation.REQUEST, VIP, CLIENT_IP));
        rows.put("another host's gratuitous ARP", arp(MacAddress.BROADCAST, CLIENT, Frame.ArpOperation.REQUEST, VIP, VIP));
        rows.put("ARP request from a group MAC", new Frame.ArpFrame(MacAddress.BROADCAST, CLIENT,
                Frame.ArpOperation.REQUEST, MacAddress.BROADCAST, CLIENT_IP, MacAddress.ZERO, VIP));
        rows.put("NS for an IPv6 we do not own", solicitation(mac("33:33:ff:00:02:01"), CLIENT_IP6, ip("2001:db8:99::201"),
                Optional.of(CLIENT)));
        rows.put("NS unicast to another host", solicitation(ETH1, CLIENT_IP6, VIP6, Optional.of(CLIENT)));
        rows.put("malformed frame", new Frame.Malformed("truncated ARP"));
        rows.put("ignored frame", new Frame.Ignored("ethertype 0x800"));
        rows.forEach((name, frame) -> assertInstanceOf(Responder.Silence.class, Responder.answer(frame, ETH0, OWNS_VIPS),
                name));
    }

    @Test
    void ownershipIsAskedPerInterface() {
        Frame request = FrameCodec.decode(hex(Frames.KERNEL_ARP_REQUEST));
        Responder.Answer onOtherInterface = Responder.answer(request, ETH1, ip -> false);
        Responder.Silence silence = assertInstanceOf(Responder.Silence.class, onOtherInterface);
        assertTrue(silence.why().contains("198.18.99.200"), silence.why());
    }
}
