package dev.ferrite.lab.netns;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.net.IpRange;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The lab's L2 network as a value: a switch namespace holding one bridge, and hosts (a
 * control plane, N nodes, a client), each in its own namespace with one uplink into the
 * bridge. Names are {@code <prefix><labId>-<host>} so several labs on one machine never
 * collide; link names live inside the lab's own namespaces and are fixed and short.
 *
 * <p>Addressing, all inside 198.18.0.0/15 and 2001:db8::/32: one /24 and one /64 shared by
 * every host; host number n gets {@code 198.18.0.n}, {@code 2001:db8::n} (the same digits)
 * and MAC {@code 02:00:c6:12:00:<n hex>} (c6:12 is 198.18). Control plane n=2, client n=3,
 * node i n=10+i. VIPs come from .200 upwards, same digits in IPv6. Every lab reuses the same
 * addresses: its namespaces are reachable only from each other.
 */
public record Topology(String prefix, String labId, Host controlPlane, List<Host> nodes, Host client, List<Pod> pods) {

    /**
     * A backend pod on a node: its host's {@code bridgePort} is the veth end on the node,
     * enslaved to the node's {@link #POD_BRIDGE}; its uplink is {@code eth0} in its own namespace.
     */
    public record Pod(Host host, Host node) {
        public String name() {
            return host.name();
        }
    }

    public static final String DEFAULT_PREFIX = "ferrite-";
    public static final String BRIDGE = "br0";
    public static final String UPLINK = "eth0";
    /** The name kube-proxy in IPVS mode gives its VIP-holding dummy link. */
    public static final String VIP_LINK = "kube-ipvs0";
    /** The bridge on each node its pods' veths are enslaved to, as a host-gateway CNI has. */
    public static final String POD_BRIDGE = "cni0";
    public static final int POD_PREFIX_V4 = 24;
    public static final int POD_PREFIX_V6 = 64;
    public static final int PREFIX_V4 = 24;
    public static final int PREFIX_V6 = 64;
    public static final int MAX_NODES = 100;
    public static final int VIP_COUNT = 55;

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9-]{0,23}");
    private static final Pattern LAB_ID = Pattern.compile("[a-z0-9]{1,8}");
    private static final int LINK_NAME_MAX = 15;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public Topology {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
    }

    /** A lab with {@code nodeCount} nodes named {@code node1..nodeN}, one pod on each. */
    public static Topology of(String prefix, String labId, int nodeCount) {
        return of(prefix, labId, nodeCount, 1, 0);
    }

    /**
     * A lab with {@code nodeCount} nodes, {@code podsPerNode} pods on each but the last
     * {@code nodesWithoutPods} (those nodes have no local endpoint for any Service).
     * Node i's pods live in 198.19.i.0/24 and 2001:db8:1:i::/64; pod j is .(10+j) / ::(10+j).
     */
    public static Topology of(String prefix, String labId, int nodeCount, int podsPerNode, int nodesWithoutPods) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("lab prefix \"" + prefix
                    + "\": must be lower-case letters, digits and '-', starting with a letter, at most 24 characters");
        }
        if (!LAB_ID.matcher(labId).matches()) {
            throw new IllegalArgumentException("lab id \"" + labId + "\": must be 1-8 lower-case letters or digits");
        }
        if (nodeCount < 1 || nodeCount > MAX_NODES) {
            throw new IllegalArgumentException("node count " + nodeCount + ": must be between 1 and " + MAX_NODES);
        }
        String lab = prefix + labId;
        Host cp = host(lab, "cp", HostRole.CONTROL_PLANE, 2);
        Host client = host(lab, "client", HostRole.CLIENT, 3);
        List<Host> nodes = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add(host(lab, "node" + i, HostRole.NODE, 10 + i));
        }
        if (podsPerNode < 0 || podsPerNode > 20 || nodesWithoutPods < 0 || nodesWithoutPods >= nodeCount) {
            throw new IllegalArgumentException("pods per node " + podsPerNode + " (0-20) and nodes without pods "
                    + nodesWithoutPods + " (fewer than the " + nodeCount + " nodes)");
        }
        List<Pod> pods = new ArrayList<>();
        for (int i = 1; i <= nodeCount - nodesWithoutPods; i++) {
            for (int j = 1; j <= podsPerNode; j++) {
                String name = "pod-node" + i + "-" + j;
                String mac = String.format("02:00:c6:13:%02x:%02x", i, 10 + j);
                Host h = new Host(name, HostRole.POD, lab + "-" + name, "vp" + j,
                        IpAddress.parse("198.19." + i + "." + (10 + j)).orElseThrow(),
                        IpAddress.parse("2001:db8:1:" + i + "::" + (10 + j)).orElseThrow(), mac);
                pods.add(new Pod(h, nodes.get(i - 1)));
            }
        }
        return new Topology(prefix, labId, cp, nodes, client, pods);
    }

    /** A lab with a fresh random 6-character id, one pod on each node. */
    public static Topology withRandomId(String prefix, int nodeCount) {
        return of(prefix, randomId(6), nodeCount);
    }

    /** As {@link #of(String, String, int, int, int)} with a fresh random id. */
    public static Topology withRandomId(String prefix, int nodeCount, int podsPerNode, int nodesWithoutPods) {
        return of(prefix, randomId(6), nodeCount, podsPerNode, nodesWithoutPods);
    }

    /** The node's address on its pod bridge, the pods' gateway: 198.19.i.1 / 2001:db8:1:i::1. */
    public IpAddress podGateway(Host node, IpFamily family) {
        int i = nodeIndex(node);
        return IpAddress.parse(family == IpFamily.IPv4 ? "198.19." + i + ".1" : "2001:db8:1:" + i + "::1").orElseThrow();
    }

    /** The node's pod CIDR of a family, e.g. {@code 198.19.1.0/24}. */
    public String podCidr(Host node, IpFamily family) {
        int i = nodeIndex(node);
        return family == IpFamily.IPv4 ? "198.19." + i + ".0/" + POD_PREFIX_V4 : "2001:db8:1:" + i + "::/" + POD_PREFIX_V6;
    }

    /** The pods running on a node. */
    public List<Pod> podsOn(Host node) {
        return pods.stream().filter(p -> p.node().equals(node)).toList();
    }

    private int nodeIndex(Host node) {
        int i = nodes.indexOf(node);
        if (i < 0) {
            throw new IllegalArgumentException("host " + node.name() + " is not a node of lab " + labName());
        }
        return i + 1;
    }

    public static String randomId(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** {@code <prefix><labId>}, e.g. {@code ferrite-k3x9q2}; names the run directory too. */
    public String labName() {
        return prefix + labId;
    }

    public String switchNamespace() {
        return labName() + "-switch";
    }

    /** Control plane, nodes in order, client. */
    public List<Host> hosts() {
        List<Host> all = new ArrayList<>();
        all.add(controlPlane);
        all.addAll(nodes);
        all.add(client);
        return all;
    }

    /** The switch namespace first, then every host's namespace in {@link #hosts()} order, then the pods'. */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        all.add(switchNamespace());
        hosts().forEach(h -> all.add(h.namespace()));
        pods.forEach(p -> all.add(p.host().namespace()));
        return all;
    }

    /** Node {@code i}, counting from 1 like the node names. */
    public Host node(int i) {
        if (i < 1 || i > nodes.size()) {
            throw new IllegalArgumentException("node " + i + ": lab " + labName() + " has nodes 1.." + nodes.size());
        }
        return nodes.get(i - 1);
    }

    public Optional<Host> host(String name) {
        return hosts().stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** The {@code i}-th VIP (from 0) of a family: 198.18.0.200+i or 2001:db8::200+i (same digits). */
    public static IpAddress vip(IpFamily family, int i) {
        if (i < 0 || i >= VIP_COUNT) {
            throw new IllegalArgumentException("vip index " + i + ": must be between 0 and " + (VIP_COUNT - 1));
        }
        return address(family, 200 + i);
    }

    /**
     * How many addresses the lab's pool holds, both families: the IPv4 range holds
     * {@value #VIP_COUNT}, the IPv6 one, whose bounds have the same digits in hexadecimal, more.
     */
    public static int vipCapacity() {
        return vipCapacity(IpFamily.IPv4) + vipCapacity(IpFamily.IPv6);
    }

    /** How many addresses of {@code family} the lab's pool holds. */
    public static int vipCapacity(IpFamily family) {
        return new IpRange(vip(family, 0), vip(family, VIP_COUNT - 1)).size().intValueExact();
    }

    /** The lab's VIP range as pool text, e.g. {@code 198.18.0.200-198.18.0.254}. */
    public static String vipRange(IpFamily family) {
        return vip(family, 0) + "-" + vip(family, VIP_COUNT - 1);
    }

    private static Host host(String lab, String name, HostRole role, int n) {
        if (name.length() > LINK_NAME_MAX) {
            throw new IllegalArgumentException("bridge port \"" + name + "\" is longer than " + LINK_NAME_MAX + " characters");
        }
        String mac = String.format("02:00:c6:12:00:%02x", n);
        return new Host(name, role, lab + "-" + name, name, address(IpFamily.IPv4, n), address(IpFamily.IPv6, n), mac);
    }

    private static IpAddress address(IpFamily family, int n) {
        String text = family == IpFamily.IPv4 ? "198.18.0." + n : "2001:db8::" + n;
        return IpAddress.parse(text).orElseThrow();
    }
}
