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
import dev.ferrite.speaker.model.ProbeResult;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
    void probingManyIpsReadsTheInterfacesOncePerRequestedSet() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        try (PcapAnnouncer a = PcapAnnouncer.start(PcapAnnouncer.Settings.DEFAULT, () -> {
            reads.incrementAndGet();
            return ONLY_A_DOWN_INTERFACE;
        })) {
            Map<IpAddress, Set<String>> ips = new LinkedHashMap<>();
            for (int i = 1; i <= 50; i++) {
                ips.put(ip("198.18.1." + i), i % 2 == 0 ? Set.of() : Set.of("eth0"));
            }
            List<ProbeResult> results = new CopyOnWriteArrayList<>();
            int before = reads.get();
            a.probe(ips, results::add);
            assertEquals(2, reads.get() - before, "one read for the IPs on every interface, one for those on eth0");
            // no usable interface to probe on: each is told free at once, as announcing will say why it cannot
            assertEquals(ips.keySet(), results.stream().map(ProbeResult::ip).collect(Collectors.toSet()));
            assertTrue(results.stream().allMatch(r -> r instanceof ProbeResult.Free));
        }
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
