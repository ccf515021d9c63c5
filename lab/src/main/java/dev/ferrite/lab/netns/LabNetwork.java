package dev.ferrite.lab.netns;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link Topology} out of network namespaces and tears it down again.
 *
 * <p>Before creating anything it checks the machine ({@link LabPreflight}), that none of
 * the lab's namespace names exists, and claims the lab name with a {@link LabMarker}; any
 * failure there is a {@link LabStart.Refused} and nothing is touched. Everything it creates
 * is recorded, and {@link #close()} removes exactly that, in reverse: first whatever was
 * registered with {@link #closeFirst(AutoCloseable)} (the lab's processes), then any process
 * still inside a lab namespace (by PID, from {@code ip netns pids}), then the namespaces,
 * whose deletion takes their links with them. A JVM shutdown hook runs the same close so
 * Ctrl-C cleans up. There is no route out: hosts have only their /24 and /64, and every veth
 * is created directly between lab namespaces, so nothing links them to the root namespace.
 */
public final class LabNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabNetwork.class);
    private static final Duration PROCESS_EXIT_BOUND = Duration.ofSeconds(3);

    private final Topology topology;
    private final IpCommand ip;
    private final LabMarker marker;
    private final Deque<String> created = new ArrayDeque<>();
    private final Deque<AutoCloseable> dependents = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private String vipLinkType = "dummy";

    private LabNetwork(Topology topology, IpCommand ip, LabMarker marker) {
        this.topology = topology;
        this.ip = ip;
        this.marker = marker;
        this.shutdownHook = new Thread(this::close, "lab-teardown-" + topology.labName());
    }

    /** Checks, claims and builds the lab under the default marker root {@code /run/ferrite-lab}. */
    public static LabStart up(Topology topology) {
        return up(topology, LabMarker.DEFAULT_ROOT);
    }

    public static LabStart up(Topology topology, Path markerRoot) {
        List<String> reasons = new ArrayList<>();
        LabPreflight.check().forEach(p -> reasons.add(p.message()));
        if (!reasons.isEmpty()) {
            return new LabStart.Refused(reasons);
        }
        IpCommand ip = new IpCommand(LabPreflight.findIp());
        List<String> existing = ip.namespaces();
        Optional<LabMarker> previous = LabMarker.read(markerRoot.resolve(topology.labName()));
        for (String ns : topology.namespaces()) {
            if (existing.contains(ns)) {
                reasons.add(takenReason(ns, topology, previous, markerRoot));
            }
        }
        if (!reasons.isEmpty()) {
            return new LabStart.Refused(reasons);
        }
        LabMarker.Claim claim = LabMarker.claim(markerRoot, topology.labName(), LabOwner.self(), topology.namespaces());
        if (claim instanceof LabMarker.Claim.Taken taken) {
            return new LabStart.Refused(List.of(markerTakenReason(topology, taken, markerRoot)));
        }
        LabNetwork network = new LabNetwork(topology, ip, ((LabMarker.Claim.Claimed) claim).marker());
        Runtime.getRuntime().addShutdownHook(network.shutdownHook);
        try {
            network.build();
        } catch (RuntimeException e) {
            LOG.error("lab {} failed while building, tearing down what was made: {}", topology.labName(), e.getMessage());
            network.close();
            throw e;
        }
        return new LabStart.Up(network);
    }

    private void build() {
        long started = System.nanoTime();
        String sw = topology.switchNamespace();
        addNamespace(sw);
        // the switch is a plain L2 bridge: no addresses, no IPv6 chatter of its own
        ip.setSysctls(sw, Map.of("net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1"));
        ip.addBridge(sw, Topology.BRIDGE);
        for (Host host : topology.hosts()) {
            plugIn(host, sw, Topology.BRIDGE, Topology.PREFIX_V4, Topology.PREFIX_V6);
            if (host.isNode()) {
                addVipLink(host);
            }
        }
        buildPods();
        LOG.info("lab {} is up: switch {}, {} hosts, {} pods, vip link type {}, in {} ms", topology.labName(), sw,
                topology.hosts().size(), topology.pods().size(), vipLinkType, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The kube-proxy stand-in's VIP holder with strict ARP: the node answers ARP only for
     * addresses on the link the request came in on, so it never answers for a VIP (which
     * lives on the VIP link); only a speaker does. Kernels without the dummy driver get an
     * ifb link, which equally holds addresses and sends nothing.
     */
    private void addVipLink(Host node) {
        String ns = node.namespace();
        if (!ip.addLinkOfType(ns, Topology.VIP_LINK, "dummy")) {
            ip.addLinkOfType(ns, Topology.VIP_LINK, "ifb");
            vipLinkType = "ifb";
        }
        ip.setUp(ns, Topology.VIP_LINK, true);
        Map<String, String> strictArp = new LinkedHashMap<>();
        for (String link : List.of("all", Topology.UPLINK, Topology.VIP_LINK)) {
            strictArp.put("net.ipv4.conf." + link + ".arp_ignore", "1");
            strictArp.put("net.ipv4.conf." + link + ".arp_announce", "2");
        }
        // Cluster nodes forward (pods, kube-proxy); the speakers' flow handoff routes packets of
        // moved connections to the previous owner and needs it too.
        strictArp.put("net.ipv4.ip_forward", "1");
        ip.setSysctls(ns, strictArp);
    }

    /**
     * Pods the way a host-gateway CNI wires them: every node forwards, holds its pods'
     * gateway on a {@code cni0} bridge and routes each other node's pod CIDRs via that node's
     * address on the lab switch; every pod has one veth into its node's bridge and a default
     * route via the gateway.
     *
     * <p>No ICMP redirects: a node that DNATs a client's packet to a pod on another node
     * forwards it out of the link it came in on, and would tell the client to send to that
     * other node directly; the client's kernel then routes the Service IP via that node's
     * address, whoever announces it, and the drill would measure the redirect, not the
     * announcement (seen: an 8 s outage on link-down, the client's neighbour entry for the
     * redirect's gateway timing out). IPv4 redirects are off on the nodes; IPv6 has no such
     * switch on the sender, so the client ignores IPv6 redirects.
     */
    private void buildPods() {
        ip.setSysctls(topology.client().namespace(), Map.of("net.ipv6.conf.all.accept_redirects", "0",
                "net.ipv6.conf." + Topology.UPLINK + ".accept_redirects", "0"));
        for (Host node : topology.nodes()) {
            String ns = node.namespace();
            ip.setSysctls(ns, Map.of("net.ipv4.ip_forward", "1", "net.ipv6.conf.all.forwarding", "1",
                    "net.ipv4.conf.all.send_redirects", "0", "net.ipv4.conf.default.send_redirects", "0",
                    "net.ipv4.conf." + Topology.UPLINK + ".send_redirects", "0"));
            List<Topology.Pod> pods = topology.podsOn(node);
            if (!pods.isEmpty()) {
                ip.addBridge(ns, Topology.POD_BRIDGE);
                ip.addAddress(ns, Topology.POD_BRIDGE, topology.podGateway(node, IpFamily.IPv4), Topology.POD_PREFIX_V4);
                ip.addAddress(ns, Topology.POD_BRIDGE, topology.podGateway(node, IpFamily.IPv6), Topology.POD_PREFIX_V6);
            }
            for (Host other : topology.nodes()) {
                if (!other.equals(node) && !topology.podsOn(other).isEmpty()) {
                    ip.addRoute(ns, topology.podCidr(other, IpFamily.IPv4), other.ipv4());
                    ip.addRoute(ns, topology.podCidr(other, IpFamily.IPv6), other.ipv6());
                }
            }
            for (Topology.Pod pod : pods) {
                Host p = pod.host();
                plugIn(p, ns, Topology.POD_BRIDGE, Topology.POD_PREFIX_V4, Topology.POD_PREFIX_V6);
                ip.setUp(p.namespace(), "lo", true);
                ip.addRoute(p.namespace(), "default", topology.podGateway(node, IpFamily.IPv4));
                ip.addRoute(p.namespace(), "default", topology.podGateway(node, IpFamily.IPv6));
            }
        }
    }

    /**
     * Gives {@code host} its namespace and one veth, {@link Topology#UPLINK} on its side, into
     * {@code bridge} in {@code bridgeNamespace}, addressed and up. The addresses are usable at
     * once: no duplicate address detection on any link.
     */
    private void plugIn(Host host, String bridgeNamespace, String bridge, int prefixV4, int prefixV6) {
        addNamespace(host.namespace());
        ip.setSysctls(host.namespace(), Map.of("net.ipv6.conf.all.accept_dad", "0", "net.ipv6.conf.default.accept_dad", "0"));
        ip.addVethPair(bridgeNamespace, host.bridgePort(), host.namespace(), Topology.UPLINK, host.mac());
        ip.setMaster(bridgeNamespace, host.bridgePort(), bridge);
        ip.setUp(bridgeNamespace, host.bridgePort(), true);
        ip.addAddress(host.namespace(), Topology.UPLINK, host.ipv4(), prefixV4);
        ip.addAddress(host.namespace(), Topology.UPLINK, host.ipv6(), prefixV6);
        ip.setUp(host.namespace(), Topology.UPLINK, true);
    }

    private void addNamespace(String ns) {
        ip.addNamespace(ns);
        created.push(ns);
    }

    public Topology topology() {
        return topology;
    }

    public IpCommand ip() {
        return ip;
    }

    /** {@code /run/ferrite-lab/<labName>}: holds the owner marker while the lab is up. */
    public Path markerDir() {
        return marker.dir();
    }

    /** {@code dummy}, or {@code ifb} on kernels without the dummy driver. */
    public String vipLinkType() {
        return vipLinkType;
    }

    /** Puts a VIP (/32 or /128) on a node's VIP link, so its kernel accepts traffic for it. */
    public void addVip(Host node, IpAddress vip) {
        requireNode(node);
        ip.addAddress(node.namespace(), Topology.VIP_LINK, vip, vip.family().bits());
        LOG.info("lab {}: vip {} held by {}", topology.labName(), vip, node.name());
    }

    /** Addresses on the node's VIP link, e.g. {@code 198.18.0.200/32}. */
    public List<String> vips(Host node) {
        requireNode(node);
        return ip.addresses(node.namespace(), Topology.VIP_LINK);
    }

    /** The {@code link-down} fault: the host's port on the switch goes down (its uplink loses carrier). */
    public void linkDown(Host host) {
        ip.setUp(topology.switchNamespace(), host.bridgePort(), false);
        LOG.info("lab {}: link of {} is down", topology.labName(), host.name());
    }

    public void linkUp(Host host) {
        ip.setUp(topology.switchNamespace(), host.bridgePort(), true);
        LOG.info("lab {}: link of {} is up", topology.labName(), host.name());
    }

    public boolean isLinkUp(Host host) {
        return ip.isUp(topology.switchNamespace(), host.bridgePort());
    }

    /** One bounded ping ({@code -c 1 -W 1}) from a host; true when it was answered. */
    public boolean ping(Host from, IpAddress to) {
        List<String> argv = new ArrayList<>(List.of("ping", "-n", "-q", "-c", "1", "-W", "1"));
        if (to.family() == IpFamily.IPv6) {
            argv.add("-6");
        }
        argv.add(to.toString());
        return exec(from, argv).succeeded();
    }

    /** Runs a command inside a host's namespace to completion (bounded). */
    public CommandResult exec(Host host, List<String> argv) {
        return ip.exec(host.namespace(), argv);
    }

    /** A permanent neighbour entry on the host's uplink: {@code ip} to {@code mac}. */
    public void pinNeighbour(Host host, IpAddress address, String mac) {
        ip.setNeighbour(host.namespace(), Topology.UPLINK, address, mac);
    }

    public void forgetNeighbour(Host host, IpAddress address) {
        ip.deleteNeighbour(host.namespace(), Topology.UPLINK, address);
    }

    public NeighbourTable neighbours(Host host) {
        return NeighbourTable.read(ip, host.namespace());
    }

    /**
     * Waits, at most {@code limit}, until {@code host} and every other node hold no unresolved
     * neighbour entry for each other (INCOMPLETE or FAILED: after a link outage the packets
     * between them queue until the kernel's next retry, up to a second later); an entry not
     * there at all is resolved at the first packet. Returns whether they got there in time.
     */
    public boolean awaitNeighboursResolved(Host host, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            NeighbourTable own = neighbours(host);
            boolean resolved = true;
            for (Host other : topology.nodes()) {
                if (resolved && !other.equals(host)) {
                    resolved = resolvedOrAbsent(own, other) && resolvedOrAbsent(neighbours(other), host);
                }
            }
            if (resolved) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
    }

    private static boolean resolvedOrAbsent(NeighbourTable table, Host peer) {
        for (IpAddress address : List.of(peer.ipv4(), peer.ipv6())) {
            Optional<NeighbourEntry> e = table.entry(address);
            if (e.isPresent() && (e.get().mac().isEmpty() || e.get().states().contains("INCOMPLETE")
                    || e.get().states().contains("FAILED"))) {
                return false;
            }
        }
        return true;
    }

    /** Closed (in reverse order of registration) before the namespaces are removed. */
    public void closeFirst(AutoCloseable dependent) {
        synchronized (dependents) {
            dependents.push(dependent);
        }
    }

    /** Namespaces this lab created and has not removed yet, newest first. */
    public List<String> createdNamespaces() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }

    /** Idempotent; also run by the shutdown hook. Errors are logged and the rest still goes. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook is running or ran this close
            }
        }
        while (true) {
            AutoCloseable d;
            synchronized (dependents) {
                d = dependents.poll();
            }
            if (d == null) {
                break;
            }
            try {
                d.close();
            } catch (Exception e) {
                LOG.warn("lab {}: closing {} failed: {}", topology.labName(), d, e.getMessage());
            }
        }
        synchronized (created) {
            while (!created.isEmpty()) {
                String ns = created.peek();
                removeNamespace(ip, ns);
                created.pop();
            }
        }
        try {
            marker.release();
        } catch (RuntimeException e) {
            LOG.warn("lab {}: {}", topology.labName(), e.getMessage());
        }
        LOG.info("lab {} is torn down", topology.labName());
    }

    /**
     * Removes labs with the given prefix whose owner process has died (it was killed before
     * it could tear down): kills what still runs in their namespaces, deletes the namespaces
     * listed in their markers, and the markers. Returns the names of the labs removed.
     */
    public static List<String> removeStale(String prefix) {
        return removeStale(prefix, LabMarker.DEFAULT_ROOT);
    }

    public static List<String> removeStale(String prefix, Path markerRoot) {
        IpCommand ip = new IpCommand(LabPreflight.findIp());
        List<String> removed = new ArrayList<>();
        for (LabMarker m : LabMarker.all(markerRoot, prefix)) {
            if (m.owner().isAlive()) {
                continue;
            }
            List<String> present = ip.namespaces();
            List<String> ns = new ArrayList<>(m.namespaces());
            java.util.Collections.reverse(ns);
            for (String n : ns) {
                if (present.contains(n)) {
                    removeNamespace(ip, n);
                }
            }
            m.release();
            removed.add(m.labName());
            LOG.info("removed stale lab {} left by pid {}", m.labName(), m.owner().pid());
        }
        return removed;
    }

    private static void removeNamespace(IpCommand ip, String ns) {
        try {
            List<Long> pids = ip.pidsIn(ns);
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    LOG.warn("namespace {}: killing pid {} still running inside it", ns, pid);
                    p.destroyForcibly();
                    try {
                        p.onExit().get(PROCESS_EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        LOG.warn("namespace {}: pid {} did not exit within {} ms", ns, pid, PROCESS_EXIT_BOUND.toMillis());
                    }
                });
            }
            ip.deleteNamespace(ns);
        } catch (CommandFailedException e) {
            LOG.warn("namespace {} could not be removed: {}", ns, e.getMessage());
        }
    }

    private void requireNode(Host host) {
        if (!host.isNode()) {
            throw new IllegalArgumentException("host " + host.name() + " is not a node: only nodes hold VIPs");
        }
    }

    private static String takenReason(String ns, Topology topology, Optional<LabMarker> marker, Path root) {
        if (marker.isPresent() && marker.get().namespaces().contains(ns)) {
            LabOwner owner = marker.get().owner();
            if (owner.isAlive()) {
                return "network namespace " + ns + " is in use by lab " + topology.labName()
                        + " (owner pid " + owner.pid() + " is running): choose another lab id";
            }
            return "network namespace " + ns + " was left behind by lab " + topology.labName()
                    + " (owner pid " + owner.pid() + " has exited): remove the stale lab"
                    + " (LabNetwork.removeStale) or run: ip netns delete " + ns;
        }
        return "network namespace " + ns + " already exists and does not belong to this lab (no owner marker in "
                + root.resolve(topology.labName()) + "): choose another lab id, or if it is yours, run: ip netns delete " + ns;
    }

    private static String markerTakenReason(Topology topology, LabMarker.Claim.Taken taken, Path root) {
        Path dir = root.resolve(topology.labName());
        return taken.existing()
                .map(m -> m.owner().isAlive()
                        ? "lab " + topology.labName() + " is already claimed by running pid " + m.owner().pid()
                                + " (marker " + dir + "): choose another lab id"
                        : "lab " + topology.labName() + " was left behind by pid " + m.owner().pid()
                                + " which has exited (marker " + dir + "): remove the stale lab (LabNetwork.removeStale)")
                .orElse("lab " + topology.labName() + " has a marker directory " + dir
                        + " without a readable owner: remove it if no lab is running");
    }
}
