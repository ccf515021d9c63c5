package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Node as the election, peer discovery and flow handoff see it.
 *
 * @param internalIps the Node's InternalIP addresses in the order the Node lists them (a
 *                    dual-stack node lists one of each family)
 */
public record NodeView(
        String name,
        Map<String, String> labels,
        boolean networkUnavailable,
        List<String> internalIps) {

    public NodeView {
        labels = Map.copyOf(labels);
        internalIps = List.copyOf(internalIps);
    }

    /** The first InternalIP, as kubelet reports it: what peers reach the node's speaker at. */
    public Optional<String> internalIp() {
        return internalIps.stream().findFirst();
    }

    /** The first InternalIP of {@code family}, when the Node has one. */
    public Optional<IpAddress> internalIp(IpFamily family) {
        return internalIps.stream().map(IpAddress::parse).flatMap(Optional::stream)
                .filter(a -> a.family() == family).findFirst();
    }
}
