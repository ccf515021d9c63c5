package dev.ferrite.speaker.arp.pcap;

import static dev.ferrite.speaker.arp.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.arp.Frame;
import dev.ferrite.speaker.arp.FrameCodec;
import dev.ferrite.speaker.arp.Frames;
import dev.ferrite.speaker.arp.InterfaceDescription;
import dev.ferrite.speaker.arp.MacAddress;
import dev.ferrite.speaker.model.AnnouncerCounts;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The announcer's bookkeeping, on a host whose only interface cannot be used (no pcap needed). */
class PcapAnnouncerTest {

    private static final IpAddress VIP = ip("198.18.0.200");
    private static final List<InterfaceDescription> ONLY_A_DOWN_INTERFACE = List.of(new InterfaceDescription("eth0",
            false, true, false, true, Optional.empty(), MacAddress.parse("02:00:00:00:00:01")));

    private static PcapAnnouncer start() throws Exception {
        return PcapAnnouncer.start(PcapAnnouncer.Settings.DEFAULT, () -> ONLY_A_DOWN_INTERFACE);
    }

    @Test
    void anIpWithNoUsableInterfaceIsRecordedButAnnouncedNowhere() throws Exception {
        try (PcapAnnouncer a = start()) {
            assertEquals(Map.of(), a.interfaces());
            assertEquals(Set.of(VIP), a.announceAll(Map.of(VIP, Set.of())));
            assertEquals(Map.of(VIP, Set.of()), a.announcements());
            assertEquals(Set.of(), a.announceAll(Map.of(VIP, Set.of())), "repeating the same announcement changes nothing");
            a.announce(Map.of(VIP, Set.of()));
            assertEquals(Map.of(VIP, Set.of()), a.announcements(), "announced on no interface");
            assertEquals(0, a.counts().gratuitousSent());
        }
    }

    @Test
    void withdrawForgetsTheIpAndIgnoresOneNotAnnounced() throws Exception {
        try (PcapAnnouncer a = start()) {
            a.announce(Map.of(VIP, Set.of("eth0")));
            a.withdraw(VIP);
            assertEquals(Map.of(), a.announcements());
            a.withdraw(VIP);
            a.reassert(VIP);
            assertEquals(Map.of(), a.announcements());
        }
    }

    @Test
    void aClosedAnnouncerRefusesToAnnounce() throws Exception {
        PcapAnnouncer a = start();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.announce(Map.of(VIP, Set.of())));
        a.close();
    }

    @Test
    void countersStartAtZero() throws Exception {
        try (PcapAnnouncer a = start()) {
            assertEquals(AnnouncerCounts.ZERO, a.counts());
        }
    }

    @Test
    void solicitedNodeGroupKeepsTheLow24BitsOfTheAddress() throws Exception {
        assertEquals(InetAddress.getByName("ff02::1:ff01:200"),
                SolicitedNodeGroups.solicitedNodeGroup(ip("2001:db8:10::1:200")));
        assertEquals(InetAddress.getByName("ff02::1:ffab:cdef"),
                SolicitedNodeGroups.solicitedNodeGroup(ip("2001:db8::12ab:cdef")));
    }

    @Test
    void warmUpFrameGoesToOurselvesWithAnEthertypeNobodyActsOn() {
        MacAddress mac = MacAddress.parse("02:fe:00:00:00:01").orElseThrow();
        byte[] f = PcapLink.warmUpFrame(mac);
        assertEquals(60, f.length);
        assertEquals("02fe0000000102fe0000000188b5", Frames.hex(f).substring(0, 28));
        assertTrue(FrameCodec.decode(f) instanceof Frame.Ignored);
    }
}
