package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real keep-alive connections through a kube-proxy-like data path on two nodes, moved by
 * flipping the client's neighbour entry as a gratuitous ARP does: without handoff the new
 * node resets every moved connection; with the rules of {@link HandoffInstaller} on the new
 * owner none breaks, the old flows are still served by the old node's pod and new ones by the
 * new node's. Then the failback: the IP returns to the first node, which hands the flows the
 * second node served back to it; again none breaks. Both with the Service IP routed (kube-proxy
 * nftables/iptables mode) and local on {@code kube-ipvs0} (IPVS mode), and for an IPv4 and an
 * IPv6 Service IP.
 */
@Tag("netns")
class HandoffNetnsTest {

    private static final Pattern REPORT = Pattern.compile(
            "open=(\\d+) broken=(\\d+) answers=(\\S*)");

    @ParameterizedTest(name = "ipvs={0} ipv6={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void movedConnectionsBreakWithoutHandoffAndSurviveWithItBothWays(boolean ipvs, boolean ipv6) throws Exception {
        Assumptions.assumeTrue(HandoffNetwork.isRoot(), "needs root: creates network namespaces");
        try (HandoffNetwork net = HandoffNetwork.create(ipvs, ipv6, java.nio.file.Path.of("target", "netns-logs"))) {
            HandoffNetwork.Child c = net.client();
            assertEquals("opened 3 failed 0", c.ask("open 3"));
            Thread.sleep(300);
            Report before = report(c);
            assertEquals(0, before.broken);
            assertTrue(before.answers.matches("a:\\d+"), before.answers);

            // No handoff: the new node has no state for the flows and resets them.
            net.pointClientAt(HandoffNetwork.MAC_B);
            Thread.sleep(1500);
            Report without = report(c);
            assertEquals(3, without.broken, "connections reset by the new node without handoff");

            net.pointClientAt(HandoffNetwork.MAC_A);
            assertEquals("opened 3 failed 0", c.ask("open 3"));
            Thread.sleep(300);
            Report direct = report(c);
            assertEquals(3, direct.broken);

            // Handoff on B: flows it does not know go to A.
            HandoffSettings settings = HandoffSettings.defaults();
            HandoffInstaller onB = new HandoffInstaller(settings, net.commandsOn(net.nodeB));
            assertEquals(new HandoffInstaller.Availability.On(), onB.start("test on b"));
            onB.apply(window(net, "a", net.nodeAAddress));
            net.pointClientAt(HandoffNetwork.MAC_B);
            Thread.sleep(1500);
            Report moved = report(c);
            assertEquals(3, moved.broken, "no connection broken by the move with handoff (3 were from before)");
            assertTrue(moved.answers.matches("a:\\d+"), "the old node's pod still serves the old flows: " + moved.answers);
            assertEquals("answer=b", c.ask("fresh"), "a new connection goes to the new node's pod");
            HandoffInstaller.Counts counts = onB.counts();
            assertEquals(3, counts.flows(), "3 flows handed off, each counted once: " + counts);
            // their conntrack entries on B go soon after their last packet, not after the kernel's 5 minutes
            String adopted = HandoffNetwork.sh("ip", "netns", "exec", net.nodeB, "conntrack", "-L", "-m", "0x00f10000/0x00f10000");
            assertEquals(3, adopted.lines().filter(l -> l.startsWith("tcp")).count(), adopted);
            for (String entry : adopted.lines().filter(l -> l.startsWith("tcp")).toList()) {
                int timeout = Integer.parseInt(entry.split("\\s+")[2]);
                assertTrue(timeout <= HandoffRules.ADOPTED_TIMEOUT_SECONDS, entry);
            }
            assertTrue(counts.packets() > counts.flows(), "packets after the first are counted too: " + counts);

            // New keep-alive flows on B, then the failback: A hands B's flows back to B.
            assertEquals("opened 2 failed 0", c.ask("open 2"));
            Thread.sleep(300);
            report(c);
            HandoffInstaller onA = new HandoffInstaller(settings, net.commandsOn(net.nodeA));
            assertEquals(new HandoffInstaller.Availability.On(), onA.start("test on a"));
            onA.apply(window(net, "b", net.nodeBAddress));
            net.pointClientAt(HandoffNetwork.MAC_A);
            onB.apply(new TreeMap<>());
            Thread.sleep(1500);
            Report back = report(c);
            assertEquals(5, back.open, "every connection lives through the failback: " + back);
            assertEquals(3, back.broken);
            assertTrue(back.answers.contains("a:") && back.answers.contains("b:"), back.answers);

            // A new process removes what its predecessor installed (here: a crash of A's speaker).
            HandoffInstaller successor = new HandoffInstaller(settings, net.commandsOn(net.nodeA));
            assertEquals(new HandoffInstaller.Availability.On(), successor.start("successor on a"));
            String table = HandoffNetwork.sh("ip", "netns", "exec", net.nodeA, "nft", "list", "table", "inet", HandoffRules.TABLE);
            assertTrue(table.contains("successor on a") && !table.contains("test on a"), table);
            String rules = HandoffNetwork.sh("ip", "-n", net.nodeA, net.familyFlag(), "rule", "show", "pref", "90");
            assertEquals(1, rules.lines().count(), rules);
            assertEquals("", routes(net.nodeA, net.familyFlag()));

            successor.stop();
            onB.stop();
            for (String node : new String[] {net.nodeA, net.nodeB}) {
                assertFalse(HandoffNetwork.sh("ip", "netns", "exec", node, "nft", "list", "tables").contains(HandoffRules.TABLE));
                for (String family : new String[] {"-4", "-6"}) {
                    assertEquals("", HandoffNetwork.sh("ip", "-n", node, family, "rule", "show", "pref", "90").strip());
                    assertEquals("", routes(node, family));
                }
            }
        }
    }

    /**
     * A connection handed off through B ends; B owns the IP without a window. A new connection
     * from the same client port (a busy client reuses its ports within a minute) must reach
     * B's pod: B's entry of the ended flow, which carries the handoff mark and an identity NAT,
     * must not outlive the flow by the kernel's 5 minutes for an entry that never saw a reply.
     */
    @ParameterizedTest(name = "ipvs={0} ipv6={1}")
    @CsvSource({"false,false", "true,true"})
    void aNewConnectionFromAnEndedAdoptedFlowsPortReachesTheNewOwner(boolean ipvs, boolean ipv6) throws Exception {
        Assumptions.assumeTrue(HandoffNetwork.isRoot(), "needs root: creates network namespaces");
        int port = 40_123;
        try (HandoffNetwork net = HandoffNetwork.create(ipvs, ipv6, java.nio.file.Path.of("target", "netns-logs"))) {
            HandoffNetwork.Child c = net.client();
            assertEquals("opened 1 failed 0", c.ask("open 1 from " + port));
            HandoffInstaller onB = new HandoffInstaller(HandoffSettings.defaults(), net.commandsOn(net.nodeB));
            assertEquals(new HandoffInstaller.Availability.On(), onB.start("test on b"));
            try {
                onB.apply(window(net, "a", net.nodeAAddress));
                net.pointClientAt(HandoffNetwork.MAC_B);
                Thread.sleep(300);
                report(c);
                Thread.sleep(300);
                Report moved = report(c);
                assertEquals(0, moved.broken, "handed off: " + moved);
                assertTrue(moved.answers.matches("a:\\d+"), "served by A's pod through B: " + moved.answers);
                assertEquals("closed 1", c.ask("close"));
                onB.apply(new TreeMap<>());
                Thread.sleep((HandoffRules.ADOPTED_TIMEOUT_SECONDS + 1) * 1000L);
                assertEquals("answer=b", c.ask("fresh from " + port), "a new connection from the ended flow's port");
            } finally {
                onB.stop();
            }
        }
    }

    /** The routes of the handoff table of a family; none when the kernel never had the table. */
    private static String routes(String ns, String family) throws Exception {
        Process p = new ProcessBuilder("ip", "-n", ns, family, "route", "show", "table", "7473").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out.startsWith("Error: ipv4: FIB table does not exist.") ? "" : out;
    }

    private static SortedMap<IpAddress, HandoffWindow> window(HandoffNetwork net, String from, String via) {
        IpAddress vip = IpAddress.parse(net.vip).orElseThrow();
        Instant now = Instant.now();
        return new TreeMap<>(Map.of(vip, new HandoffWindow(vip, from, IpAddress.parse(via).orElseThrow(), now,
                now.plus(Duration.ofMinutes(5)))));
    }

    private record Report(int open, int broken, String answers) {
    }

    private static Report report(HandoffNetwork.Child c) throws Exception {
        String line = c.ask("report");
        Matcher m = REPORT.matcher(line);
        assertTrue(m.find(), line);
        return new Report(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }
}
