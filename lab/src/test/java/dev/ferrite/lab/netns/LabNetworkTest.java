package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpFamily;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

@Tag("netns")
class LabNetworkTest {

    private static final String PREFIX = "fxlab-";

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
    }

    @Test
    void everyHostReachesEveryOtherOverTheBridgeAndTeardownLeavesNothing() {
        Topology topology = Topology.withRandomId(PREFIX, 2);
        IpCommand ip = new IpCommand(LabPreflight.findIp());
        try (LabNetwork lab = LabNetwork.up(topology).orThrow()) {
            assertTrue(ip.namespaces().containsAll(topology.namespaces()), "all lab namespaces exist");
            assertTrue(Files.exists(lab.markerDir().resolve("owner")), "owner marker written");
            for (Host from : topology.hosts()) {
                for (Host to : topology.hosts()) {
                    if (from != to) {
                        assertTrue(lab.ping(from, to.ipv4()), from.name() + " pings " + to.name() + " over IPv4");
                    }
                }
            }
            assertTrue(lab.ping(topology.client(), topology.node(2).ipv6()), "client pings node2 over IPv6");
            assertEquals(topology.node(1).mac(), ip.mac(topology.node(1).namespace(), Topology.UPLINK).orElseThrow());
            assertEquals("1", ip.sysctl(topology.node(1).namespace(), "net.ipv4.conf.all.arp_ignore"));
            assertEquals("2", ip.sysctl(topology.node(1).namespace(), "net.ipv4.conf." + Topology.VIP_LINK + ".arp_announce"));
            assertEquals("2", ip.sysctl(topology.node(1).namespace(), "net.ipv4.conf." + Topology.UPLINK + ".arp_announce"));
            String route = lab.exec(topology.client(), List.of("ip", "route", "show", "default")).stdout();
            assertTrue(route.isBlank(), "client has no default route, got: " + route);
        }
        List<String> left = ip.namespaces();
        for (String ns : topology.namespaces()) {
            assertFalse(left.contains(ns), "namespace " + ns + " removed");
        }
        for (String link : ip.linksHere()) {
            assertFalse(topology.hosts().stream().anyMatch(h -> h.bridgePort().equals(link)) || link.equals(Topology.BRIDGE),
                    "no lab link in the root namespace: " + link);
        }
        assertFalse(Files.exists(LabMarker.DEFAULT_ROOT.resolve(topology.labName())), "marker removed");
    }

    @Test
    void refusesWhenANamespaceNameIsTakenByAForeignNamespace() {
        Topology topology = Topology.withRandomId(PREFIX, 1);
        IpCommand ip = new IpCommand(LabPreflight.findIp());
        String foreign = topology.node(1).namespace();
        ip.addNamespace(foreign);
        try {
            LabStart start = LabNetwork.up(topology);
            LabStart.Refused refused = assertInstanceOf(LabStart.Refused.class, start);
            assertTrue(refused.message().contains(foreign) && refused.message().contains("does not belong to this lab"),
                    refused.message());
            assertTrue(ip.namespaceExists(foreign), "foreign namespace left alone");
            assertFalse(ip.namespaceExists(topology.switchNamespace()), "nothing created");
            assertFalse(Files.exists(LabMarker.DEFAULT_ROOT.resolve(topology.labName())), "no marker claimed");
        } finally {
            ip.deleteNamespace(foreign);
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        Topology topology = Topology.withRandomId(PREFIX, 1);
        LabNetwork lab = LabNetwork.up(topology).orThrow();
        lab.close();
        lab.close();
        assertTrue(lab.createdNamespaces().isEmpty());
    }

    @Test
    void linkDownCutsAHostOffAndLinkUpRestoresIt() {
        Topology topology = Topology.withRandomId(PREFIX, 1);
        try (LabNetwork lab = LabNetwork.up(topology).orThrow()) {
            Host node = topology.node(1);
            // a resolved neighbour entry first, so the pings below test the link, not ARP retry timing
            assertTrue(lab.ping(topology.client(), node.ipv4()), "node reachable before the fault");
            lab.linkDown(node);
            assertFalse(lab.isLinkUp(node));
            assertFalse(lab.ping(topology.client(), node.ipv4()), "node unreachable with its link down");
            lab.linkUp(node);
            assertTrue(lab.ping(topology.client(), node.ipv4()), "node reachable again");
            lab.addVip(node, Topology.vip(IpFamily.IPv4, 0));
            assertEquals(List.of(Topology.vip(IpFamily.IPv4, 0) + "/32"), lab.vips(node).stream().filter(a -> a.contains(".")).toList());
        }
    }
}
