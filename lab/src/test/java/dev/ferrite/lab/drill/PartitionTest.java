package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.netns.Topology;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class PartitionTest {

    @Test
    void nodesOnOppositeSidesLoseEachOtherWhileTheClientReachesBothUntilHealed() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        try (LabNetwork lab = LabNetwork.up(Topology.withRandomId("fxdrillp-", 3)).orThrow()) {
            Host n1 = lab.topology().node(1);
            Host n2 = lab.topology().node(2);
            Host n3 = lab.topology().node(3);
            Host client = lab.topology().client();
            assertTrue(lab.ping(n1, n2.ipv4()), "before: node1 reaches node2");
            try (Partition p = Partition.split(lab.ip(), lab.topology().nodes(), List.of(n1))) {
                assertFalse(lab.ping(n1, n2.ipv4()), "node1 must not reach node2");
                assertFalse(lab.ping(n3, n1.ipv4()), "node3 must not reach node1");
                assertFalse(lab.ping(n2, n1.ipv6()), "no IPv6 either");
                assertTrue(lab.ping(n2, n3.ipv4()), "same side still talks");
                assertTrue(lab.ping(client, n1.ipv4()), "client reaches the lone side");
                assertTrue(lab.ping(client, n2.ipv4()), "client reaches the other side");
            }
            assertTrue(lab.ping(n1, n2.ipv4()), "healed: node1 reaches node2 again");
            assertTrue(lab.ping(n3, n1.ipv6()), "healed over IPv6 too");
        }
    }

    @Test
    void aSideWithEveryNodeIsNotAPartition() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        try (LabNetwork lab = LabNetwork.up(Topology.withRandomId("fxdrillp-", 2)).orThrow()) {
            assertThrows(IllegalArgumentException.class,
                    () -> Partition.split(lab.ip(), lab.topology().nodes(), lab.topology().nodes()));
        }
    }
}
