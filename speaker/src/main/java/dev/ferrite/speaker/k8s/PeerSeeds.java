package dev.ferrite.speaker.k8s;

import dev.ferrite.speaker.model.NodeView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Membership seeds discovered from the API: the InternalIP of every other Node at the
 * membership port. Addresses are literals, so creating them never does a DNS lookup.
 */
public final class PeerSeeds {

    private PeerSeeds() {
    }

    public static List<InetSocketAddress> fromNodes(Collection<NodeView> nodes, String self, int port) {
        List<InetSocketAddress> seeds = new ArrayList<>();
        nodes.stream().sorted(Comparator.comparing(NodeView::name)).forEach(n -> {
            if (!n.name().equals(self)) {
                n.internalIp().ifPresent(ip -> seeds.add(new InetSocketAddress(ip.toInetAddress(), port)));
            }
        });
        return seeds;
    }
}
