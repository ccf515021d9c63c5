package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.speaker.model.NodeView;
import java.net.InetSocketAddress;
import dev.ferrite.api.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerSeedsTest {

    private static NodeView node(String name, String ip) {
        // as ObjectViews reads a Node: an InternalIP that is no IP address is left out
        return new NodeView(name, Map.of(), false, ip == null ? List.of() : IpAddress.parse(ip).stream().toList());
    }

    @Test
    void seedsAreTheOtherNodesInternalIpsAtTheMembershipPort() {
        List<InetSocketAddress> seeds = PeerSeeds.fromNodes(List.of(
                node("node-c", "198.18.1.12"), node("node-a", "198.18.1.10"), node("node-b", "2001:db8::11")),
                "node-a", 7946);
        assertEquals(List.of(new InetSocketAddress("2001:db8::11", 7946), new InetSocketAddress("198.18.1.12", 7946)), seeds);
    }

    @Test
    void nodesWithoutAnInternalIpOrWithANameInsteadAreSkipped() {
        assertEquals(List.of(), PeerSeeds.fromNodes(List.of(node("node-b", null), node("node-c", "node-c.example")),
                "node-a", 7946));
    }
}
