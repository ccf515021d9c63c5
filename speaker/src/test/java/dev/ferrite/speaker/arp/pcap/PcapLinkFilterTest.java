package dev.ferrite.speaker.arp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.arp.FrameCodec;
import dev.ferrite.speaker.arp.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/** The capture filter that leaves out the members' conflict probes, compiled and run by libpcap itself. */
class PcapLinkFilterTest {

    private static final MacAddress MEMBER = mac("02:00:00:00:00:0b");
    private static final MacAddress OTHER_MEMBER = mac("02:00:00:00:00:0c");
    private static final MacAddress STRANGER = mac("02:00:00:00:00:77");
    private static final IpAddress VIP = ip("198.18.0.200");
    private static final IpAddress VIP6 = ip("2001:db8::200");

    private static MacAddress mac(String text) {
        return MacAddress.parse(text).orElseThrow();
    }

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    private static BpfProgram compile(String filter) throws PcapNativeException, UnknownHostException {
        try {
            return Pcaps.compileFilter(PcapLink.SNAPLEN, DataLinkType.EN10MB, filter, BpfProgram.BpfCompileMode.OPTIMIZE,
                    (Inet4Address) InetAddress.getByAddress(new byte[4]));
        } catch (LinkageError e) {
            Assumptions.abort("libpcap cannot be loaded (Debian/Ubuntu package libpcap0.8): " + e);
            throw e;
        }
    }

    @Test
    void withoutMembersItIsTheCaptureFilter() {
        assertEquals(PcapLink.CAPTURE_FILTER, PcapLink.filterExcluding(Set.of()));
    }

    @Test
    void aMembersProbesAreLeftOutItsOtherFramesAndEverybodyElsesProbesAreNot() throws Exception {
        BpfProgram f = compile(PcapLink.filterExcluding(Set.of(MEMBER, OTHER_MEMBER)));
        assertFalse(f.applyFilter(FrameCodec.arpProbe(MEMBER, VIP)), "a member's ARP probe");
        assertFalse(f.applyFilter(FrameCodec.arpProbe(OTHER_MEMBER, VIP)), "the other member's ARP probe");
        assertFalse(f.applyFilter(FrameCodec.duplicateAddressDetection(MEMBER, VIP6)), "a member's DAD");

        assertTrue(f.applyFilter(FrameCodec.arpProbe(STRANGER, VIP)), "a stranger's probe is a question to answer");
        assertTrue(f.applyFilter(FrameCodec.duplicateAddressDetection(STRANGER, VIP6)), "a stranger's DAD");
        assertTrue(f.applyFilter(FrameCodec.arpRequest(MEMBER, ip("198.18.0.11"), VIP)), "a member's request");
        assertTrue(f.applyFilter(FrameCodec.gratuitousArpRequest(MEMBER, VIP)), "a member's gratuitous ARP is a claim");
        assertTrue(f.applyFilter(FrameCodec.gratuitousArpReply(MEMBER, VIP)), "and its reply form");
        assertTrue(f.applyFilter(FrameCodec.neighborSolicitation(MEMBER, ip("2001:db8::11"), VIP6)), "a member's NS");
        assertTrue(f.applyFilter(FrameCodec.unsolicitedNeighborAdvertisement(MEMBER, VIP6)), "a member's NA");
    }

    @Test
    void theCaptureFilterStillTakesEveryProbe() throws Exception {
        BpfProgram f = compile(PcapLink.CAPTURE_FILTER);
        assertTrue(f.applyFilter(FrameCodec.arpProbe(MEMBER, VIP)));
        assertTrue(f.applyFilter(FrameCodec.duplicateAddressDetection(MEMBER, VIP6)));
    }
}
