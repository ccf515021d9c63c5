package dev.ferrite.speaker.arp.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.speaker.arp.Frames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real ARP and NDP against a real Linux neighbour table, on {@link AnnouncerNetwork}: a
 * client namespace with a bridge and two nodes, each running an announcer in its own JVM.
 */
@Tag("netns")
class PcapAnnouncerNetnsTest {

    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final String MAC_A = AnnouncerNetwork.MAC_A;
    private static final String MAC_B = AnnouncerNetwork.MAC_B;

    private static AnnouncerNetwork network;
    private static String C;
    private static String A;

    @BeforeAll
    static void buildNetwork() throws Exception {
        Assumptions.assumeTrue(AnnouncerNetwork.isRoot(), "needs root: creates network namespaces");
        network = AnnouncerNetwork.create("fxarp");
        C = network.client;
        A = network.nodeA;
    }

    @AfterAll
    static void tearDown() {
        if (network != null) {
            network.close();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void clientLearnsTheAnnouncersMacForAnOwnedIp() throws Exception {
        AnnouncerNetwork.Announcer a = network.a();
        AnnouncerNetwork.Announcer b = network.b();
        long bRepliesBefore = b.counter("replies");
        long aRepliesBefore = a.counter("replies");
        assertEquals("ok changed", a.ask("announce 198.18.10.200"));

        ping("198.18.10.200");

        assertEquals(Optional.of(MAC_A), neighbour("198.18.10.200", Optional::isPresent));
        assertTrue(a.counter("replies") > aRepliesBefore, "A answered");
        assertEquals(bRepliesBefore, b.counter("replies"), "B, which does not own the IP, stayed silent");
        a.ask("withdraw 198.18.10.200");
    }

    @Test
    void gratuitousArpMovesAStaleEntryToTheNewOwner() throws Exception {
        AnnouncerNetwork.Announcer a = network.a();
        AnnouncerNetwork.Announcer b = network.b();
        String vip = "198.18.10.201";
        a.ask("announce " + vip);
        ping(vip);
        assertEquals(Optional.of(MAC_A), neighbour(vip, Optional::isPresent));
        sh("ip", "-n", C, "neigh", "change", vip, "dev", "br0", "lladdr", MAC_A, "nud", "stale");

        long gratuitousBefore = b.counter("gratuitous");
        a.ask("withdraw " + vip);
        assertEquals("ok changed", b.ask("announce " + vip));

        // The client sends nothing: only B's gratuitous ARP can change its entry.
        assertEquals(Optional.of(MAC_B), neighbour(vip, mac -> mac.equals(Optional.of(MAC_B))));
        assertTrue(b.counter("gratuitous") >= gratuitousBefore + 2, "both GARP forms sent");
        b.ask("withdraw " + vip);
    }

    @Test
    void manyIpsGainedInOneCallAllMoveToTheNewOwner() throws Exception {
        AnnouncerNetwork.Announcer b = network.b();
        List<String> vips = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            vips.add("198.18.10." + (30 + i));
        }
        vips.add("2001:db8:10::30");
        vips.add("2001:db8:10::31");
        String all = String.join(",", vips);
        // The client last heard of these IPs at A; B now gains all of them at once.
        for (String vip : vips) {
            sh("ip", "-n", C, "neigh", "replace", vip, "dev", "br0", "lladdr", MAC_A, "nud", "stale");
        }

        assertEquals("ok changed " + vips.size(), b.ask("announce-all " + all));
        assertEquals("ok changed 0", b.ask("announce-all " + all), "announcing the same IPs again changes nothing");
        String groups = sh("ip", "-n", network.nodeB, "maddr", "show", "dev", "b0");
        assertTrue(groups.contains("33:33:ff:00:00:30") && groups.contains("33:33:ff:00:00:31"),
                "solicited-node groups of both IPv6 addresses joined on b0:\n" + groups);

        // The client sends nothing: only B's gratuitous frames can change its entries.
        for (String vip : vips) {
            assertEquals(Optional.of(MAC_B), neighbour(vip, mac -> mac.equals(Optional.of(MAC_B))), vip);
        }
        for (String vip : vips) {
            b.ask("withdraw " + vip);
        }
    }

    @Test
    void clientLearnsTheAnnouncersMacForAnOwnedIpv6Address() throws Exception {
        AnnouncerNetwork.Announcer a = network.a();
        String vip = "2001:db8:10::200";
        a.ask("announce " + vip);
        String groups = sh("ip", "-n", A, "maddr", "show", "dev", "a0");
        assertTrue(groups.contains("33:33:ff:00:02:00"), "solicited-node group joined on a0:\n" + groups);

        ping(vip);

        assertEquals(Optional.of(MAC_A), neighbour(vip, Optional::isPresent));
        a.ask("withdraw " + vip);
        assertTrue(!sh("ip", "-n", A, "maddr", "show", "dev", "a0").contains("33:33:ff:00:02:00"),
                "solicited-node group left after withdrawal");
    }

    @Test
    void unsolicitedNeighborAdvertisementMovesAStaleEntryToTheNewOwner() throws Exception {
        AnnouncerNetwork.Announcer a = network.a();
        AnnouncerNetwork.Announcer b = network.b();
        String vip = "2001:db8:10::201";
        a.ask("announce " + vip);
        ping(vip);
        assertEquals(Optional.of(MAC_A), neighbour(vip, Optional::isPresent));
        sh("ip", "-n", C, "neigh", "change", vip, "dev", "br0", "lladdr", MAC_A, "nud", "stale");

        a.ask("withdraw " + vip);
        b.ask("announce " + vip);

        assertEquals(Optional.of(MAC_B), neighbour(vip, mac -> mac.equals(Optional.of(MAC_B))));
        b.ask("withdraw " + vip);
    }

    @Test
    void anIpNobodyOwnsGetsNoAnswer() throws Exception {
        AnnouncerNetwork.Announcer a = network.a();
        AnnouncerNetwork.Announcer b = network.b();
        a.ask("announce 198.18.10.210");
        b.ask("announce 2001:db8:10::210");
        long repliesBefore = a.counter("replies") + b.counter("replies");
        long seenBefore = a.counter("requests");

        ping("198.18.10.250");
        ping("2001:db8:10::250");

        // The kernel gives up after its probes (about 3 s); until then and after, no MAC.
        assertEquals(Optional.empty(), neighbourState("198.18.10.250", "FAILED"));
        assertEquals(Optional.empty(), neighbourState("2001:db8:10::250", "FAILED"));
        assertTrue(a.counter("requests") > seenBefore, "the questions did reach the announcer");
        assertEquals(repliesBefore, a.counter("replies") + b.counter("replies"));
        a.ask("withdraw 198.18.10.210");
        b.ask("withdraw 2001:db8:10::210");
    }

    @Test
    void malformedFramesAreCountedAndDoNotStopAnswers() throws Exception {
        AnnouncerNetwork.Announcer a = network.a();
        AnnouncerNetwork.Announcer b = network.b();
        long before = b.counter("malformed");
        // Full length, so the bridge forwards it (Linux bridges drop ARP runts), but opcode 3.
        String badOpcode = "ffffffffffff" + "02fa0000000a" + "0806" + "0001080006040003" + "0".repeat(40);
        byte[] badChecksum = Frames.hex(Frames.KERNEL_NEIGHBOR_SOLICITATION);
        badChecksum[57] ^= 1;
        assertEquals("ok injected", a.ask("inject a0 " + badOpcode));
        assertEquals("ok injected", a.ask("inject a0 " + Frames.hex(badChecksum)));

        long after = before;
        for (int i = 0; i < 50 && after < before + 2; i++) {
            Thread.sleep(20);
            after = b.counter("malformed");
        }
        assertEquals(before + 2, after);

        b.ask("announce 198.18.10.220");
        ping("198.18.10.220");
        assertEquals(Optional.of(MAC_B), neighbour("198.18.10.220", Optional::isPresent));
        b.ask("withdraw 198.18.10.220");
    }

    @Test
    void askingAPeerForItsMacResolvesBothSidesAtOnce() throws Exception {
        // After a link outage the client's and node A's entries for each other are INCOMPLETE,
        // their kernels' next retry 10 s away: only A's question and the client's answer can
        // resolve them within the test's 3 s.
        AnnouncerNetwork.Announcer a = network.a();
        Matcher link = Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(sh("ip", "-n", C, "link", "show", "br0"));
        assertTrue(link.find());
        String clientMac = link.group(1);
        List<String> peers = List.of("198.18.10.1", "2001:db8:10::1");
        List<String> own = List.of("198.18.10.11", "2001:db8:10::11");
        try {
            sh("ip", "-n", A, "addr", "add", own.get(0) + "/24", "dev", "a0");
            sh("ip", "-n", A, "addr", "add", own.get(1) + "/64", "dev", "a0", "nodad");
            retransmit(10_000);
            sh("ip", "-n", C, "link", "set", "pa", "down");
            for (int i = 0; i < 2; i++) {
                run(List.of("ip", "netns", "exec", C, "ping", "-c1", "-W1", own.get(i)));
                run(List.of("ip", "netns", "exec", A, "ping", "-c1", "-W1", peers.get(i)));
            }
            sh("ip", "-n", C, "link", "set", "pa", "up");
            for (int i = 0; i < 2; i++) {
                assertTrue(sh("ip", "-n", C, "neigh", "show", own.get(i), "dev", "br0").contains("INCOMPLETE"));
                assertTrue(sh("ip", "-n", A, "neigh", "show", peers.get(i), "dev", "a0").contains("INCOMPLETE"));
            }

            assertEquals("ok asked 2", a.ask("resolve " + String.join(",", peers)));

            for (int i = 0; i < 2; i++) {
                assertEquals(Optional.of(MAC_A), neighbourIn(C, "br0", own.get(i)), "the client learned A from the question");
                assertEquals(Optional.of(clientMac), neighbourIn(A, "a0", peers.get(i)), "A learned the client from the answer");
            }
        } finally {
            sh("ip", "-n", C, "link", "set", "pa", "up");
            retransmit(1_000);
            for (String address : own) {
                run(List.of("ip", "-n", A, "addr", "del", address + (address.contains(":") ? "/64" : "/24"), "dev", "a0"));
            }
        }
    }

    /** Sets the neighbour retry interval of the client's bridge and A's link, both families. */
    private static void retransmit(int millis) throws Exception {
        for (String[] nsAndDev : new String[][] {{C, "br0"}, {A, "a0"}}) {
            for (String family : List.of("ipv4", "ipv6")) {
                sh("ip", "netns", "exec", nsAndDev[0], "sysctl", "-q", "-w",
                        "net." + family + ".neigh." + nsAndDev[1] + ".retrans_time_ms=" + millis);
            }
        }
    }

    /** Waits (at most 3 s) until {@code ns}'s entry for {@code ip} on {@code dev} has a MAC; returns it. */
    private static Optional<String> neighbourIn(String ns, String dev, String ip) throws Exception {
        Optional<String> mac = Optional.empty();
        for (int i = 0; i < 60 && mac.isEmpty(); i++) {
            mac = lladdr(sh("ip", "-n", ns, "neigh", "show", ip, "dev", dev));
            if (mac.isEmpty()) {
                Thread.sleep(50);
            }
        }
        return mac;
    }

    // ------------------------------------------------------------------ the client's side

    /** Makes the client resolve {@code ip}; the ping itself fails, nobody holds the address. */
    private static void ping(String ip) throws Exception {
        run(List.of("ip", "netns", "exec", C, "ping", "-c1", "-W1", ip));
    }

    /** Waits (at most 3 s) until the client's entry for {@code ip} satisfies {@code done}; returns its MAC. */
    private static Optional<String> neighbour(String ip, Predicate<Optional<String>> done) throws Exception {
        Optional<String> mac = Optional.empty();
        for (int i = 0; i < 60; i++) {
            mac = lladdr(sh("ip", "-n", C, "neigh", "show", ip, "dev", "br0"));
            if (done.test(mac)) {
                return mac;
            }
            Thread.sleep(50);
        }
        return mac;
    }

    /** Waits (at most 6 s) until the client's entry for {@code ip} is in {@code state}; returns its MAC. */
    private static Optional<String> neighbourState(String ip, String state) throws Exception {
        String entry = "";
        for (int i = 0; i < 60; i++) {
            entry = sh("ip", "-n", C, "neigh", "show", ip, "dev", "br0");
            if (entry.contains(state)) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(entry.contains(state), "entry for " + ip + " never became " + state + ": " + entry);
        return lladdr(entry);
    }

    private static Optional<String> lladdr(String entry) {
        Matcher m = LLADDR.matcher(entry);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String sh(String... command) throws Exception {
        return AnnouncerNetwork.sh(command);
    }

    private static void run(List<String> command) throws Exception {
        AnnouncerNetwork.run(command);
    }
}
