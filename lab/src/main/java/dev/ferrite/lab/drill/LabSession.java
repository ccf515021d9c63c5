package dev.ferrite.lab.drill;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.proxy.ProxyMain;
import dev.ferrite.lab.proxy.ProxyMode;
import dev.ferrite.lab.proxy.ProxyRules;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.netns.LabRefusedException;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.process.CommandMain;
import dev.ferrite.lab.process.ContainerImage;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import dev.ferrite.lab.process.ReadyCheck;
import dev.ferrite.lab.process.SpeakerClassArchive;
import dev.ferrite.speaker.SpeakerCommand;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running lab: the namespaces ({@link LabNetwork}), the {@link ControlPlane}, on every node
 * its pods, the kube-proxy stand-in ({@link ProxyMain}) and a speaker, the EndpointSlices of
 * the running pods, and the {@link ClientProbe}. Everything it starts is
 * stopped by {@link #close()}, which the network's shutdown hook also runs on Ctrl-C.
 */
public final class LabSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabSession.class);
    static final int SLICE_WRITERS = 8;
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    public static final int MEMBERSHIP_PORT = 7946;
    static final int SPEAKER_METRICS_PORT = 7473;
    /** The speaker flags the lab sets on every speaker's command line. */
    public static final List<String> LAB_SPEAKER_FLAGS = List.of("--node", "--kubeconfig", "--membership-secret-file",
            "--membership-bind", "--membership-peers", "--metrics-port");
    static final Duration START_BOUND = Duration.ofSeconds(60);
    static final Duration READY_BOUND = Duration.ofSeconds(40);
    static final int START_ATTEMPTS = 3;

    /**
     * What to build. {@code kubeconfig} present means: use that cluster's API, start no API
     * server or controller. {@code trafficPolicy} other than Cluster leaves the last node
     * without pods. {@code speakerArgs} are added to every speaker's command line after the
     * lab's own ({@link #LAB_SPEAKER_FLAGS}), so a benchmark can compare speaker settings.
     */
    public record Options(int nodes, String prefix, Optional<Path> kubeconfig, ProxyMode proxyMode,
                          TrafficPolicy trafficPolicy, int connectionsPerService, List<String> speakerJvmOptions,
                          Optional<ContainerImage> image, List<String> speakerArgs) {
        public static final int DEFAULT_CONNECTIONS = 4;

        public Options {
            speakerJvmOptions = List.copyOf(speakerJvmOptions);
            // "a  b" or an empty value split on spaces leaves empty words, which the speaker would refuse
            speakerArgs = speakerArgs.stream().filter(a -> !a.isBlank()).toList();
        }

        public Options(int nodes, String prefix, Optional<Path> kubeconfig, ProxyMode proxyMode,
                       TrafficPolicy trafficPolicy, int connectionsPerService, List<String> speakerJvmOptions) {
            this(nodes, prefix, kubeconfig, proxyMode, trafficPolicy, connectionsPerService, speakerJvmOptions, Optional.empty(),
                    List.of());
        }

        /** The same lab with controller and speakers run from {@code image} instead of this JVM's classpath. */
        public Options withImage(ContainerImage image) {
            return new Options(nodes, prefix, kubeconfig, proxyMode, trafficPolicy, connectionsPerService, speakerJvmOptions,
                    Optional.of(image), speakerArgs);
        }

        /** The same lab with {@code args} added to every speaker's command line (see {@link #speakerArgsProblem}). */
        public Options withSpeakerArgs(List<String> args) {
            return new Options(nodes, prefix, kubeconfig, proxyMode, trafficPolicy, connectionsPerService, speakerJvmOptions,
                    image, args);
        }

        /** Why {@code args} cannot be added to the lab's speakers: one sets what the lab sets itself. */
        public static Optional<String> speakerArgsProblem(List<String> args) {
            for (String a : args) {
                String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (LAB_SPEAKER_FLAGS.contains(flag)) {
                    return Optional.of(flag + " is set by the lab (it sets " + String.join(", ", LAB_SPEAKER_FLAGS) + ")");
                }
            }
            return Optional.empty();
        }

        public Options(int nodes, String prefix, Optional<Path> kubeconfig, ProxyMode proxyMode,
                       TrafficPolicy trafficPolicy, int connectionsPerService) {
            this(nodes, prefix, kubeconfig, proxyMode, trafficPolicy, connectionsPerService, LabProcesses.SPEAKER_JVM_OPTIONS);
        }

        /** {@code speakerJvmOptions}: the speakers' JVM options, so a benchmark can compare settings. */
        public Options(int nodes, String prefix, Optional<Path> kubeconfig, List<String> speakerJvmOptions) {
            this(nodes, prefix, kubeconfig, ProxyMode.NFTABLES, TrafficPolicy.CLUSTER, DEFAULT_CONNECTIONS, speakerJvmOptions);
        }

        public Options(int nodes, String prefix, Optional<Path> kubeconfig) {
            this(nodes, prefix, kubeconfig, LabProcesses.SPEAKER_JVM_OPTIONS);
        }
    }

    private final LabNetwork network;
    private final Path runDir;
    private final LabProcesses processes;
    private final ReadyCheck ready;
    private final ClientProbe probe;
    private final Map<String, LabProcess> speakers = new LinkedHashMap<>();
    private final Map<String, LabProcess> proxies = new LinkedHashMap<>();
    private final Map<String, LabProcess> pods = new LinkedHashMap<>();
    private final Options options;
    /** The speakers' JVM options as they run: those of {@link Options}, and from a jar the class-data archive. */
    private final List<String> speakerJvm;
    private final java.util.Set<String> cutOff = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, String> serviceIps = new LinkedHashMap<>();
    private ControlPlane controlPlane;
    private ArpWatch arpWatch;
    private volatile boolean keepRunDir;

    private LabSession(LabNetwork network, Path runDir, Options options) {
        this.network = network;
        this.options = options;
        this.runDir = runDir;
        this.processes = new LabProcesses(network, runDir.resolve("logs"));
        this.ready = new ReadyCheck(network.ip(), READY_BOUND, START_ATTEMPTS);
        this.probe = new ClientProbe(processes, network.topology().client());
        this.speakerJvm = speakerJvm(options);
        // stopped before the processes (closeFirst runs newest first): the watchers hold no namespace
        network.closeFirst(this::closeWatchers);
    }

    /**
     * Checks the machine (installing missing Debian packages when root), builds the network
     * and starts the control plane, backends and speakers. Refusals are a
     * {@link LabRefusedException} with the reasons; nothing is left behind on failure.
     */
    public static LabSession start(Options options, Consumer<String> progress) throws IOException {
        return start(options, Optional.empty(), progress);
    }

    /** As {@link #start(Options, Consumer)}, keeping files (logs, kubeconfig) in {@code runDir} when given. */
    public static LabSession start(Options options, Optional<Path> runDirGiven, Consumer<String> progress) throws IOException {
        LabPreflight.ensure(progress);
        Optional<String> imageProblem = options.image().flatMap(ContainerImage::problem);
        if (imageProblem.isPresent()) {
            throw new LabRefusedException("--image " + options.image().get().reference() + ": " + imageProblem.get());
        }
        Topology topology = Topology.withRandomId(options.prefix(), options.nodes(), 1,
                options.trafficPolicy().anyLocal() ? 1 : 0);
        progress.accept("building lab " + topology.labName() + " with " + options.nodes() + " nodes");
        LabNetwork network = LabNetwork.up(topology).orThrow();
        LabSession lab;
        try {
            Path runDir = runDirGiven.isPresent() ? runDirGiven.get() : Files.createTempDirectory(topology.labName() + "-");
            lab = new LabSession(network, runDir, options);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        try {
            lab.controlPlane = ControlPlane.start(network, lab.processes, lab.ready, lab.runDir, options.kubeconfig(),
                    options.image(), progress);
            lab.startNodes(progress);
            lab.arpWatch = ArpWatch.start(network.ip(), topology.client().namespace(), Topology.UPLINK);
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void startNodes(Consumer<String> progress) {
        for (Host node : network.topology().nodes()) {
            progress.accept("starting pods, kube-proxy stand-in (" + options.proxyMode().cliName() + ") and speaker on " + node.name());
            startPodsOn(node);
            startProxy(node);
            startSpeaker(node);
        }
    }

    /** The kube-proxy stand-in of a node; waits (bounded) for its first rules. */
    private void startProxy(Host node) {
        LabProcess p = processes.startJava(node, "proxy-" + node.name(), ProxyMain.class.getName(), List.of(
                "--node", node.name(), "--kubeconfig", controlPlane.kubeconfig().toString(),
                "--mode", options.proxyMode().cliName()));
        if (p.awaitLine(l -> l.startsWith(ProxyMain.APPLIED), START_BOUND).isEmpty()) {
            throw new IllegalStateException("kube-proxy stand-in on " + node.name() + " wrote no rules within "
                    + START_BOUND.toSeconds() + " s; see " + p.log());
        }
        proxies.put(node.name(), p);
    }

    /** Starts the pods of a node (the ones not running) and rewrites the EndpointSlices. */
    public void startPodsOn(Host node) {
        Map<String, String> nodeAddresses = new LinkedHashMap<>();
        Topology t = network.topology();
        for (Host n : t.nodes()) {
            nodeAddresses.put(n.ipv4().toString(), n.name());
            nodeAddresses.put(n.ipv6().toString(), n.name());
            if (!t.podsOn(n).isEmpty()) {
                nodeAddresses.put(t.podGateway(n, IpFamily.IPv4).toString(), n.name());
                nodeAddresses.put(t.podGateway(n, IpFamily.IPv6).toString(), n.name());
            }
        }
        for (Topology.Pod pod : t.podsOn(node)) {
            LabProcess running = pods.get(pod.name());
            if (running == null || !running.isAlive()) {
                pods.put(pod.name(), NodeBackend.startPod(processes, pod.host(), node, nodeAddresses, START_BOUND));
            }
        }
        writeEndpointSlices();
    }

    /** Stops every pod of a node (kill -9) and takes them out of the EndpointSlices. */
    public void stopPodsOn(Host node) {
        for (Topology.Pod pod : network.topology().podsOn(node)) {
            LabProcess p = pods.get(pod.name());
            if (p != null) {
                p.kill();
                p.waitFor(Duration.ofSeconds(5));
            }
        }
        writeEndpointSlices();
    }

    /**
     * The node is cut off (its link is down): its pods leave the EndpointSlices, as the node
     * lifecycle controller takes a NotReady node's endpoints out once its grace period
     * (40 s by default) has passed. Here at once, so that a drill measures the announcement
     * failover and not that timeout.
     */
    public void cutOff(Host node) {
        cutOff.add(node.name());
        writeEndpointSlices();
    }

    /** The node is reachable again: its running pods are endpoints again. */
    public void reconnected(Host node) {
        cutOff.remove(node.name());
        writeEndpointSlices();
    }

    /**
     * The lab as the EndpointSlice controller: every Service's slice lists the pods running now
     * on reachable nodes. New connections go to a cut-off node's pods until its slices are
     * written. The embedded API server takes them all in one request (its batch apply): at 100
     * Services under a drill's load, 100 requests took 1.3-1.6 s, most of it round trips on a
     * loaded machine, since the server handles one request at a time (docs/benchmarks.md). A
     * real API server gets one server-side apply per slice, {@value #SLICE_WRITERS} at a time.
     * The time goes to the drill log.
     */
    private synchronized void writeEndpointSlices() {
        if (serviceIps.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<Topology.Pod> running = reachablePods();
        LabObjects objects = new LabObjects(client());
        if (controlPlane.apiServer().isPresent()) {
            List<EndpointSlice> slices = new ArrayList<>();
            serviceIps.forEach((service, ip) -> slices.add(LabObjects.endpointSlice(service, ip.contains(":"), running)));
            try {
                objects.applyAtOnce(slices);
            } catch (KubernetesClientException e) {
                throw new IllegalStateException("writing the EndpointSlices failed: " + e.getMessage(), e);
            }
        } else {
            writeOneByOne(objects, running);
        }
        LOG.info("EndpointSlices of {} Services written in {} ms ({} pods ready)", serviceIps.size(),
                (System.nanoTime() - start) / 1_000_000, running.size());
    }

    private void writeOneByOne(LabObjects objects, List<Topology.Pod> running) {
        ExecutorService writers = Executors.newFixedThreadPool(Math.min(SLICE_WRITERS, serviceIps.size()));
        try {
            List<Future<?>> writes = new ArrayList<>();
            serviceIps.forEach((service, ip) -> writes.add(writers.submit(
                    () -> objects.writeEndpointSlice(service, ip.contains(":"), running))));
            for (Future<?> w : writes) {
                w.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing the EndpointSlices failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing the EndpointSlices", e);
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * The EndpointSlice of a Service the lab did not deploy (a benchmark's), listing the pods
     * running now; for a Service whose address is not known yet, so its data path is ready first.
     */
    public synchronized void writeEndpointSlice(String service, IpFamily family) {
        new LabObjects(client()).writeEndpointSlice(service, family == IpFamily.IPv6, reachablePods());
    }

    /** Deletes the EndpointSlice {@link #writeEndpointSlice} wrote. */
    public void deleteEndpointSlice(String service) {
        new LabObjects(client()).deleteEndpointSlice(service);
    }

    private List<Topology.Pod> reachablePods() {
        return network.topology().pods().stream()
                .filter(p -> !cutOff.contains(p.node().name()))
                .filter(p -> pods.containsKey(p.name()) && pods.get(p.name()).isAlive()).toList();
    }

    /** The first Service with externalTrafficPolicy Local, if the lab has one. */
    public Optional<String> firstLocalService() {
        List<String> names = services();
        for (int i = 0; i < names.size(); i++) {
            if (options.trafficPolicy().isLocal(i)) {
                return Optional.of(names.get(i));
            }
        }
        return Optional.empty();
    }

    public boolean isLocal(String service) {
        return options.trafficPolicy().isLocal(services().indexOf(service));
    }

    public Options options() {
        return options;
    }

    /**
     * Packets the nodes' kube-proxy stand-ins dropped so far because a Local Service had no
     * ready endpoint on the node they reached (the named counter of {@link ProxyRules}).
     */
    public long noLocalEndpointDrops() {
        long sum = 0;
        for (Host node : network.topology().nodes()) {
            for (String family : List.of("ip", "ip6")) {
                var r = network.exec(node, List.of("nft", "list", "counter", family, ProxyRules.TABLE, ProxyRules.NO_LOCAL_ENDPOINT));
                Matcher m = PACKETS.matcher(r.stdout());
                if (r.succeeded() && m.find()) {
                    sum += Long.parseLong(m.group(1));
                }
            }
        }
        return sum;
    }

    /**
     * The speakers' JVM options: from the image, the lab's (its entrypoint maps the image's
     * class-data archive); from a jar, the lab's and an archive of the same classes for this
     * jar, so that both start alike, unless the options say otherwise about class sharing.
     */
    private static List<String> speakerJvm(Options options) {
        List<String> jvm = new ArrayList<>(options.speakerJvmOptions());
        boolean ownSharing = jvm.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile")
                || o.contains("DumpLoadedClassList") || o.contains("ArchiveClassesAtExit"));
        if (options.image().isEmpty() && !ownSharing) {
            jvm.addAll(SpeakerClassArchive.jvmOptions());
        }
        return List.copyOf(jvm);
    }

    /** The speakers' JVM options as they run (see {@link #speakerJvm}). */
    public List<String> speakerJvmOptions() {
        return speakerJvm;
    }

    /** Starts (or restarts) the speaker of a node and waits until it is ready (bounded, retried). */
    public LabProcess startSpeaker(Host node) {
        return startSpeaker(node, controlPlane.secretFile());
    }

    /** Starts the speaker of a node with the lab's membership secret and waits until it is ready. */
    private LabProcess startSpeaker(Host node, Path membershipSecretFile) {
        return ready.startUntilReady(node, SPEAKER_METRICS_PORT, () -> launchSpeaker(node, membershipSecretFile));
    }

    /**
     * Starts the speaker of a node with the given membership secret file instead of the
     * lab's, without waiting for readiness: with another secret it is a speaker the others must
     * not admit, and alone while it rejects their datagrams it is never ready.
     */
    public LabProcess startOutsiderSpeaker(Host node, Path membershipSecretFile) {
        return launchSpeaker(node, membershipSecretFile);
    }

    private LabProcess launchSpeaker(Host node, Path membershipSecretFile) {
        List<String> peers = new ArrayList<>();
        for (Host n : network.topology().nodes()) {
            peers.add(n.ipv4() + ":" + MEMBERSHIP_PORT);
        }
        boolean image = options.image().isPresent();
        List<String> args = new ArrayList<>(List.of(
                "--node", node.name(),
                "--kubeconfig", image ? ManifestContainers.KUBECONFIG : controlPlane.kubeconfig().toString(),
                "--membership-secret-file", image ? ManifestContainers.MEMBERSHIP_SECRET : membershipSecretFile.toString(),
                "--membership-bind", node.ipv4() + ":" + MEMBERSHIP_PORT,
                "--membership-peers", String.join(",", peers),
                "--metrics-port", Integer.toString(SPEAKER_METRICS_PORT)));
        args.addAll(options.speakerArgs());
        String name = "speaker-" + node.name();
        LabProcess p;
        if (image) {
            List<String> command = new ArrayList<>(List.of("speaker"));
            command.addAll(args);
            p = processes.startContainer(node, name, options.image().get(), ManifestContainers.speaker(
                    controlPlane.kubeconfig(), membershipSecretFile, options.speakerJvmOptions()), command);
        } else {
            List<String> command = new ArrayList<>(List.of(SpeakerCommand.class.getName()));
            command.addAll(args);
            p = processes.startJava(node, name, speakerJvm, CommandMain.mainClass(), command);
        }
        speakers.put(node.name(), p);
        return p;
    }

    /**
     * Creates {@code count} LoadBalancer Services, waits (bounded) for their IPs, writes their
     * EndpointSlices, puts the IPs on every node's VIP link in {@code ipvs} mode, waits until
     * every kube-proxy stand-in programmed them all, and starts the client probe.
     */
    public Map<String, String> deployServices(int count, Duration bound, Consumer<String> progress) throws InterruptedException {
        return deployServices(count, Topology.VIP_COUNT, bound, progress);
    }

    /** As {@link #deployServices(int, Duration, Consumer)}, with the first {@code ipv4Count} Services IPv4 and the rest IPv6. */
    public Map<String, String> deployServices(int count, int ipv4Count, Duration bound, Consumer<String> progress)
            throws InterruptedException {
        LabObjects objects = new LabObjects(client());
        List<String> names = objects.createServices(count, Math.min(ipv4Count, Topology.VIP_COUNT), options.trafficPolicy());
        progress.accept("waiting for " + count + " Service IPs from the controller");
        Map<String, String> ips = objects.awaitIps(names, bound);
        if (ips.size() < names.size()) {
            List<String> missing = names.stream().filter(n -> !ips.containsKey(n)).toList();
            throw new IllegalStateException(missing.size() + " of " + names.size() + " Services got no IP within "
                    + bound.toSeconds() + " s (e.g. " + LabObjects.SERVICE_NAMESPACE + "/" + missing.get(0)
                    + "); controller log: " + controlPlane.controller().map(c -> c.log().toString()).orElse("(none)"));
        }
        serviceIps.putAll(ips);
        writeEndpointSlices();
        if (options.proxyMode() == ProxyMode.IPVS) {
            for (Host node : network.topology().nodes()) {
                for (String ip : ips.values()) {
                    network.addVip(node, IpAddress.parse(ip).orElseThrow());
                }
            }
        }
        for (Map.Entry<String, LabProcess> proxy : proxies.entrySet()) {
            if (proxy.getValue().awaitLine(l -> l.equals(ProxyMain.APPLIED + count), START_BOUND).isEmpty()) {
                throw new IllegalStateException("kube-proxy stand-in on " + proxy.getKey() + " did not program "
                        + count + " Services within " + START_BOUND.toSeconds() + " s; see " + proxy.getValue().log());
            }
        }
        probe.start(List.copyOf(serviceIps.values()), options.connectionsPerService());
        return Map.copyOf(ips);
    }

    /** Starts the client probe again if it ended. */
    public void ensureProbe() {
        probe.ensureRunning();
    }

    /**
     * Waits until every Service IP was answered by exactly one node through the last
     * {@code window}, and the owners pass {@code wanted}; returns the owner of each IP, or
     * empty when the bound passed first.
     */
    public Optional<Map<String, String>> awaitOwners(Predicate<Map<String, String>> wanted, Duration window, Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int minProbes = (int) Math.max(3, window.toNanos() / probe.interval().toNanos() / 2);
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
            long now = System.nanoTime();
            Optional<Map<String, String>> owners = probe.log().steadyOwners(serviceIps.values(), now - window.toNanos(), now, minProbes);
            if (owners.isPresent() && wanted.test(owners.get())) {
                return owners;
            }
            Thread.sleep(25);
        }
        return Optional.empty();
    }

    /** Any steady owners: {@link #awaitOwners} accepting every assignment. */
    /**
     * Waits (at most {@code bound}) until every Service has its long-lived connections open and
     * none of them waits for an answer; false when the bound passed first.
     */
    public boolean awaitConnectionsAnswering(Duration bound) throws InterruptedException {
        Set<String> vips = Set.copyOf(serviceIps.values());
        long deadline = System.nanoTime() + bound.toNanos();
        while (!probe.connections().allAnswering(vips, options.connectionsPerService())) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    public Optional<Map<String, String>> awaitSteady(Duration window, Duration bound) throws InterruptedException {
        return awaitOwners(owners -> true, window, bound);
    }

    /**
     * Makes the client ask again who holds each VIP (flush its neighbour table, one ping per
     * VIP, at most {@code maxIps}, all at once), so every node that would answer does so on
     * the wire. Whether the ping is answered does not matter: the ARP request is the point.
     */
    public void provokeArp(int maxIps) {
        Host client = network.topology().client();
        Command.of(network.ip().path(), "-n", client.namespace(), "neigh", "flush", "dev", Topology.UPLINK).run();
        StringBuilder script = new StringBuilder();
        serviceIps.values().stream().limit(maxIps).forEach(ip ->
                script.append("ping -n -q -c 1 -W 1 ").append(ip).append(" >/dev/null 2>&1 & "));
        script.append("wait");
        network.exec(client, List.of("bash", "-c", script.toString()));
    }

    public LabNetwork network() {
        return network;
    }

    public Topology topology() {
        return network.topology();
    }

    public Path kubeconfig() {
        return controlPlane.kubeconfig();
    }

    /** A kubeconfig for the host's own network namespace (through the relay); empty with {@code --kubeconfig}. */
    public Optional<Path> hostKubeconfig() {
        return controlPlane.hostKubeconfig();
    }

    public Path runDir() {
        return runDir;
    }

    public Path logDir() {
        return processes.logDir();
    }

    public Map<String, String> serviceIps() {
        return Map.copyOf(serviceIps);
    }

    /** Service names in creation order. */
    public List<String> services() {
        return List.copyOf(serviceIps.keySet());
    }

    public String ipOf(String service) {
        return serviceIps.get(service);
    }

    public ProbeLog probeLog() {
        return probe.log();
    }

    public ConnectionLog connectionLog() {
        return probe.connections();
    }

    public ClientProbe probe() {
        return probe;
    }

    public ArpWatch arpWatch() {
        return arpWatch;
    }

    /** Starts a Java program inside a lab host's namespace, stopped with the lab. */
    public LabProcess startJava(Host host, String name, String mainClass, List<String> args) {
        return processes.startJava(host, name, mainClass, args);
    }

    /** The lab's controller; empty against a real cluster. */
    public Optional<LabProcess> controller() {
        return controlPlane.controller();
    }

    public Optional<LabProcess> apiServer() {
        return controlPlane.apiServer();
    }

    /** The kube-proxy stand-in of {@code node}. */
    public LabProcess proxy(String node) {
        LabProcess p = proxies.get(node);
        if (p == null) {
            throw new IllegalArgumentException("no kube-proxy stand-in on node " + node);
        }
        return p;
    }

    public LabProcess speaker(String node) {
        LabProcess p = speakers.get(node);
        if (p == null) {
            throw new IllegalArgumentException("no speaker on node " + node);
        }
        return p;
    }

    public Host node(String name) {
        return network.topology().host(name).filter(Host::isNode)
                .orElseThrow(() -> new IllegalArgumentException("lab " + network.topology().labName() + " has no node " + name));
    }

    public KubernetesClient client() {
        return controlPlane.client();
    }

    private void closeWatchers() {
        probe.close();
        if (arpWatch != null) {
            arpWatch.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    /** Keeps the run directory (logs, kubeconfig) after close, for a drill that went wrong. */
    public void keepRunDir() {
        keepRunDir = true;
    }

    public void discardRunDirOnClose() {
        keepRunDir = false;
    }

    /**
     * Removes the client probe's raw logs (a line per probe: hundreds of megabytes after a long
     * drill at 100 Services) from a kept run directory; the report has what they said.
     */
    public void discardProbeLogs() {
        try (var files = Files.list(logDir())) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("probe")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("probe logs in {} not removed: {}", logDir(), e.getMessage());
        }
    }

    /** Stops everything and removes the namespaces; the run directory goes too unless kept. */
    @Override
    public void close() {
        network.close();
        if (keepRunDir) {
            LOG.info("lab files kept in {}", runDir);
            return;
        }
        try {
            deleteTree(runDir);
        } catch (UncheckedIOException e) {
            LOG.warn("run directory {} not removed: {}", runDir, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
