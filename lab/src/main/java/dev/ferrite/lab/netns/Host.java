package dev.ferrite.lab.netns;

import dev.ferrite.api.net.IpAddress;

/**
 * One host of the lab: its own network namespace with one uplink ({@link Topology#UPLINK})
 * plugged into the lab switch through the bridge port {@code bridgePort}.
 *
 * @param name       the host's name; for nodes the Kubernetes node name, e.g. {@code node1}
 * @param namespace  the network namespace, e.g. {@code ferrite-k3x9q2-node1}
 * @param bridgePort the veth end enslaved to the bridge in the switch namespace
 * @param mac        the uplink's MAC, fixed so captures and neighbour tables are readable
 */
public record Host(String name, HostRole role, String namespace, String bridgePort,
                   IpAddress ipv4, IpAddress ipv6, String mac) {

    public boolean isNode() {
        return role == HostRole.NODE;
    }
}
