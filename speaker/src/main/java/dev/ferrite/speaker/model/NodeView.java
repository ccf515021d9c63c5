package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Node as the election, peer discovery and flow handoff see it.
 *
 * @param internalIps the Node's InternalIP addresses in the order the Node lists them (a
 *                    dual-stack node lists one of each family), parsed once when read; an
 *                    InternalIP that is no IP address is left out
 */
public record NodeView(
        String name,
        Map<String, String> labels,
        boolean networkUnavailable,
        List<IpAddress> internalIps) {

    public NodeView {
        labels = Map.copyOf(labels);
        internalIps = List.copyOf(internalIps);
    }

    /** The first InternalIP, as kubelet reports it: what peers reach the node's speaker at. */
    public Optional<IpAddress> internalIp() {
        return internalIps.stream().findFirst();
    }
}
