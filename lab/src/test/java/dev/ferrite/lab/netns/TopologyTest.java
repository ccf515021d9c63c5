package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpFamily;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyTest {

    @Test
    void podsLiveInTheirNodesPodCidrAndTheLastNodesCanHaveNone() {
        Topology t = Topology.of("ferrite-", "k3x9q2", 3, 2, 1);
        assertEquals(4, t.pods().size());
        assertEquals(List.of(), t.podsOn(t.node(3)));
        Topology.Pod second = t.podsOn(t.node(2)).get(1);
        assertEquals("pod-node2-2", second.name());
        assertEquals("198.19.2.12", second.host().ipv4().toString());
        assertEquals("2001:db8:1:2::12", second.host().ipv6().toString());
        assertEquals("198.19.2.0/24", t.podCidr(t.node(2), dev.ferrite.api.net.IpFamily.IPv4));
        assertEquals("198.19.2.1", t.podGateway(t.node(2), dev.ferrite.api.net.IpFamily.IPv4).toString());
        assertEquals(4, new HashSet<>(t.pods().stream().map(p -> p.host().mac()).toList()).size(), "pod MACs are unique");
    }

    @Test
    void namesCarryThePrefixAndLabIdAndEveryHostHasItsOwnAddressesAndMac() {
        Topology t = Topology.of("ferrite-", "k3x9q2", 3);
        assertEquals("ferrite-k3x9q2", t.labName());
        assertEquals("ferrite-k3x9q2-switch", t.switchNamespace());
        assertEquals(List.of("ferrite-k3x9q2-switch", "ferrite-k3x9q2-cp", "ferrite-k3x9q2-node1",
                "ferrite-k3x9q2-node2", "ferrite-k3x9q2-node3", "ferrite-k3x9q2-client",
                "ferrite-k3x9q2-pod-node1-1", "ferrite-k3x9q2-pod-node2-1", "ferrite-k3x9q2-pod-node3-1"), t.namespaces());
        Host node2 = t.node(2);
        assertEquals("node2", node2.name());
        assertEquals("198.18.0.12", node2.ipv4().toString());
        assertEquals("2001:db8::12", node2.ipv6().toString());
        assertEquals("02:00:c6:12:00:0c", node2.mac());
        assertEquals("198.18.0.3", t.client().ipv4().toString());
        assertEquals(5, new HashSet<>(t.hosts().stream().map(Host::mac).toList()).size(), "MACs are unique");
        assertEquals(5, new HashSet<>(t.hosts().stream().map(Host::ipv4).toList()).size(), "addresses are unique");
    }

    @Test
    void everyLinkNameFitsTheKernelLimitEvenWithTheLargestLab() {
        Topology t = Topology.of("ferrite-", "abcdefgh", Topology.MAX_NODES);
        for (Host h : t.hosts()) {
            assertTrue(h.bridgePort().length() <= 15, h.bridgePort());
        }
        assertTrue(Topology.VIP_LINK.length() <= 15 && Topology.BRIDGE.length() <= 15 && Topology.UPLINK.length() <= 15);
        assertEquals("198.18.0.110", t.node(100).ipv4().toString());
    }

    @Test
    void vipsComeFromTheTopOfTheLabSubnetInBothFamilies() {
        assertEquals("198.18.0.200", Topology.vip(IpFamily.IPv4, 0).toString());
        assertEquals("2001:db8::201", Topology.vip(IpFamily.IPv6, 1).toString());
        assertEquals("198.18.0.200-198.18.0.254", Topology.vipRange(IpFamily.IPv4));
        assertThrows(IllegalArgumentException.class, () -> Topology.vip(IpFamily.IPv4, Topology.VIP_COUNT));
    }

    @Test
    void randomIdsKeepLabsApart() {
        assertNotEquals(Topology.withRandomId("fxlab-", 1).labName(), Topology.withRandomId("fxlab-", 1).labName());
    }

    @ParameterizedTest(name = "prefix {0}, id {1}, {2} nodes is refused naming {3}")
    @CsvSource({
        "Ferrite-, abc, 1, prefix",
        "-x, abc, 1, prefix",
        "ferrite-, ABC, 1, lab id",
        "ferrite-, abcdefghi, 1, lab id",
        "ferrite-, abc, 0, node count",
        "ferrite-, abc, 101, node count",
    })
    void badNamesAndSizesAreRefused(String prefix, String id, int nodes, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topology.of(prefix, id, nodes));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void askingForANodeThatDoesNotExistSaysWhichExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topology.of("ferrite-", "a", 2).node(3));
        assertTrue(e.getMessage().contains("nodes 1..2"), e.getMessage());
    }
}
