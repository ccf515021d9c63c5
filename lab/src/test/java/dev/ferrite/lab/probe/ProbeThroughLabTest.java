package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.IpCommand;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole client path in a real lab: client neighbour table → bridge → node's uplink →
 * VIP on the node's VIP link → the node's backend, judged by the probe process.
 */
@Tag("netns")
class ProbeThroughLabTest {

    private static final Duration BOUND = Duration.ofSeconds(15);

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
    }

    @Test
    void clientReachesTheVipOnThePinnedNodeAndLosesItOnlyWhileThatNodesLinkIsDown(@TempDir Path logs) {
        Topology topology = Topology.withRandomId("fxlab-", 2);
        IpAddress vip = Topology.vip(IpFamily.IPv4, 0);
        IpAddress vip6 = Topology.vip(IpFamily.IPv6, 0);
        try (LabNetwork lab = LabNetwork.up(topology).orThrow()) {
            LabProcesses processes = new LabProcesses(lab, logs);
            Host node1 = topology.node(1);
            Host node2 = topology.node(2);
            Host client = topology.client();
            NodeBackend.startOn(processes, node1, BOUND);
            NodeBackend.startOn(processes, node2, BOUND);
            lab.addVip(node1, vip);
            lab.addVip(node1, vip6);

            // strict ARP: node1 holds the VIP but its kernel does not answer ARP for it
            assertFalse(lab.ping(client, vip), "no node answers ARP for a VIP on its VIP link");
            assertTrue(lab.neighbours(client).macOf(vip).isEmpty(), "client holds no MAC for the VIP");

            lab.pinNeighbour(client, vip, node1.mac());
            lab.pinNeighbour(client, vip6, node1.mac());
            assertEquals(node1.mac(), lab.neighbours(client).macOf(vip).orElseThrow());

            LabProcess probe = ProbeMain.startOn(processes, client,
                    ProbeOptions.of(List.of(vip.toString(), vip6.toString()), Long.MAX_VALUE, Duration.ofSeconds(30)));
            Predicate<String> v4Answer = l -> l.contains("\"ok\":true") && l.contains("\"vip\":\"" + vip + "\"");
            Predicate<String> v4Failure = l -> l.contains("\"ok\":false") && l.contains("\"vip\":\"" + vip + "\"");
            Predicate<String> v6Answer = l -> l.contains("\"ok\":true") && l.contains("\"vip\":\"" + vip6 + "\"");
            long answeredBefore = probe.awaitLines(v4Answer, 20, BOUND);
            assertTrue(answeredBefore >= 20, "probe answered through the pinned MAC; log: " + probe.log());

            // failures before the fault (a probe caught in a warm-up pause) do not count towards the three
            long failuresAtFault = probe.lines().stream().filter(v4Failure).count();
            lab.linkDown(node1);
            // the fault time is when the kernel has applied it: probes started while ip ran may still pass
            long downDone = System.nanoTime();
            assertTrue(probe.awaitLines(v4Failure, failuresAtFault + 3, BOUND) >= failuresAtFault + 3,
                    "probes fail while node1's link is down");
            long upAt = System.nanoTime();
            long answeredAtUp = probe.lines().stream().filter(v4Answer).count();
            long answered6AtUp = probe.lines().stream().filter(v6Answer).count();
            lab.linkUp(node1);
            assertTrue(probe.awaitLines(v4Answer, answeredAtUp + 10, BOUND) >= answeredAtUp + 10,
                    "probes are answered again once the link is up");
            // IPv6 comes back later than IPv4: node1 re-resolves the client by NDP once its carrier returns,
            // and a probe that lost its SYN waits for the retransmission
            assertTrue(probe.awaitLines(v6Answer, answered6AtUp + 3, BOUND) >= answered6AtUp + 3,
                    "IPv6 probes are answered again once the link is up; log: " + probe.log());
            assertTrue(probe.terminate(), "probe stopped with SIGTERM");
            assertTrue(probe.waitFor(BOUND).isPresent(), "probe exits on SIGTERM");

            List<ProbeResult> results = ProbeResult.readAll(probe.log());
            for (ProbeResult r : results) {
                if (r.vip().equals(vip.toString()) && r.tNanos() > downDone && r.tNanos() < upAt) {
                    assertInstanceOf(ProbeResult.Failed.class, r, "no answer while node1's link is down: " + r);
                }
                if (r instanceof ProbeResult.Answered a) {
                    assertEquals("node1", a.node(), "only node1 holds the VIP");
                }
            }
            // the outage spans the link-down period: answered before the fault, failed while down, answered after up
            List<ProbeResult> v4 = results.stream().filter(r -> r.vip().equals(vip.toString())).toList();
            assertTrue(v4.stream().anyMatch(r -> r instanceof ProbeResult.Answered && r.tNanos() <= downDone),
                    "the IPv4 VIP answered before the fault");
            long probedWhileDown = v4.stream().filter(r -> r.tNanos() > downDone && r.tNanos() < upAt).count();
            assertTrue(probedWhileDown >= 1, "the IPv4 VIP was probed while node1's link was down");
            assertTrue(v4.stream().anyMatch(r -> r instanceof ProbeResult.Answered && r.tNanos() >= upAt),
                    "the IPv4 VIP answered again after the link came up");
            List<ProbeResult> v6 = results.stream().filter(r -> r.vip().equals(vip6.toString())).toList();
            assertTrue(v6.stream().anyMatch(r -> r instanceof ProbeResult.Failed && r.tNanos() > downDone),
                    "the IPv6 VIP was cut off too");
            assertTrue(v6.stream().anyMatch(r -> r instanceof ProbeResult.Answered && r.tNanos() >= upAt),
                    "the IPv6 VIP answered again after the link came up");
            assertEquals(Set.of(node1.mac()),
                    v4.stream().filter(r -> r instanceof ProbeResult.Answered)
                            .flatMap(r -> ((ProbeResult.Answered) r).mac().stream()).collect(Collectors.toSet()),
                    "the client held node1's MAC for every answer");
        }
        IpCommand ip = new IpCommand(LabPreflight.findIp());
        assertTrue(ip.namespaces().stream().noneMatch(ns -> ns.startsWith(topology.labName())), "namespaces removed");
    }
}
