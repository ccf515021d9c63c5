package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.netns.Topology;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("netns")
class ArpWatchTest {

    @Test
    void seesTheNodeAnswerTheClientsArpAndNeighbourSolicitationWithItsMac() throws Exception {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        try (LabNetwork lab = LabNetwork.up(Topology.withRandomId("fxdrilla-", 1)).orThrow()) {
            Host client = lab.topology().client();
            Host node = lab.topology().node(1);
            try (ArpWatch watch = ArpWatch.start(lab.ip(), client.namespace(), Topology.UPLINK)) {
                List<NeighbourAnswer> seen = List.of();
                // tcpdump needs a moment to attach; ping until the answers show up (bounded)
                for (int i = 0; i < 20; i++) {
                    Command.of(lab.ip().path(), "-n", client.namespace(), "neigh", "flush", "dev", Topology.UPLINK).run();
                    lab.ping(client, node.ipv4());
                    lab.ping(client, node.ipv6());
                    Thread.sleep(100);
                    seen = watch.answers();
                    boolean v4 = seen.stream().anyMatch(a -> a.ip().equals(node.ipv4().toString()) && a.mac().equals(node.mac()));
                    boolean v6 = seen.stream().anyMatch(a -> a.ip().equals(node.ipv6().toString()) && a.mac().equals(node.mac()));
                    if (v4 && v6) {
                        return;
                    }
                }
                assertTrue(false, "no ARP reply and Neighbor Advertisement from " + node.mac() + " seen: " + seen);
            }
        }
    }
}
