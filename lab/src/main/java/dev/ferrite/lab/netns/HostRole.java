package dev.ferrite.lab.netns;

/** What a lab host stands in for. */
public enum HostRole {
    /** Runs the embedded API server and the controller. */
    CONTROL_PLANE,
    /** A Kubernetes node: runs a speaker and the kube-proxy stand-in, holds VIPs on a dummy link. */
    NODE,
    /** A backend pod: its own namespace, a veth into its node's {@code cni0} bridge, no uplink to the switch. */
    POD,
    /** The LAN client that probes the VIPs; its neighbour table is the judge of who owns a VIP. */
    CLIENT
}
