package dev.ferrite.lab.drill;

import dev.ferrite.api.KubeconfigFile;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.lab.apiserver.EmbeddedApiServer;
import dev.ferrite.lab.apiserver.Kubeconfig;
import dev.ferrite.lab.apiserver.SocketRelay;
import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.netns.LabRefusedException;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.probe.ProbeMain;
import dev.ferrite.lab.probe.ProbeOptions;
import dev.ferrite.lab.probe.ProbeResult;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running lab: the namespaces, the embedded API server (unless {@code --kubeconfig} names
 * a real one), the controller, on every node a speaker and the kube-proxy stand-in holding
 * the VIPs, and the client probing every Service IP. Everything it starts is stopped by
 * {@link #close()}, which the network's shutdown hook also runs on Ctrl-C.
 *
 * <p>The drill itself runs in the root namespace, which has no route into the lab; it
 * reaches the embedded API server through a Unix socket the server relays to its own port.
 */
public final class LabSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LabSession.class);

    /** Main classes run inside the namespaces (wrappers around the real commands). */
    public static final String SPEAKER_MAIN = "dev.ferrite.lab.node.SpeakerMain";
    public static final String CONTROLLER_MAIN = "dev.ferrite.lab.node.ControllerMain";
    public static final int API_PORT = 6443;
    public static final int MEMBERSHIP_PORT = 7946;
    static final Duration START_BOUND = Duration.ofSeconds(60);
    static final Duration READY_BOUND = Duration.ofSeconds(40);
    static final int START_ATTEMPTS = 3;
    static final int SPEAKER_METRICS_PORT = 7473;
    static final int CONTROLLER_METRICS_PORT = 7472;
    /** Per IP, the newest probe samples kept: a minute at 5 ms. */
    static final int PROBE_LOG_CAPACITY = 12_000;

    /**
     * What to build. {@code kubeconfig} present means: use that cluster's API, start no API
     * server or controller. {@code speakerJvmOptions}: the speakers' JVM options, so a
     * benchmark can compare settings.
     */
    public record Options(int nodes, String prefix, Optional<Path> kubeconfig, List<String> speakerJvmOptions) {
        public Options {
            speakerJvmOptions = List.copyOf(speakerJvmOptions);
        }

        public Options(int nodes, String prefix, Optional<Path> kubeconfig) {
            this(nodes, prefix, kubeconfig, LabProcesses.HOT_PATH_JVM_OPTIONS);
        }
    }

    private final LabNetwork network;
    private final Path runDir;
    private final LabProcesses processes;
    private final Map<String, LabProcess> speakers = new LinkedHashMap<>();
    private final Map<String, LabProcess> backends = new LinkedHashMap<>();
    private final Map<String, String> serviceIps = new LinkedHashMap<>();
    private final ProbeLog probeLog = new ProbeLog(PROBE_LOG_CAPACITY);
    private final boolean embedded;
    private final List<String> speakerJvmOptions;
    private Path kubeconfig;
    private Path hostKubeconfig;
    private Path secretFile;
    private LabProcess apiServer;
    private LabProcess controller;
    private LabProcess probe;
    private Thread probeTail;
    private volatile boolean closing;
    private volatile boolean keepRunDir;
    private SocketRelay relay;
    private KubernetesClient client;
    private ArpWatch arpWatch;
    private Duration probeInterval = ProbeOptions.DEFAULT_INTERVAL;

    private LabSession(LabNetwork network, Path runDir, boolean embedded, List<String> speakerJvmOptions) {
        this.network = network;
        this.speakerJvmOptions = speakerJvmOptions;
        this.runDir = runDir;
        this.embedded = embedded;
        this.processes = new LabProcesses(network, runDir.resolve("logs"));
        // stopped before the processes (closeFirst runs newest first): the watchers hold no namespace
        network.closeFirst(this::closeWatchers);
    }

    /**
     * Checks the machine (installing missing Debian packages when root), builds the network
     * and starts the control plane, backends and speakers. Refusals are a
     * {@link LabRefusedException} with the reasons; nothing is left behind on failure.
     */
    public static LabSession start(Options options, Consumer<String> progress) throws IOException {
        preflight(progress);
        Topology topology = Topology.withRandomId(options.prefix(), options.nodes());
        progress.accept("building lab " + topology.labName() + " with " + options.nodes() + " nodes");
        LabNetwork network = LabNetwork.up(topology).orThrow();
        LabSession lab;
        try {
            Path runDir = Files.createTempDirectory(topology.labName() + "-");
            lab = new LabSession(network, runDir, options.kubeconfig().isEmpty(), options.speakerJvmOptions());
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        try {
            lab.startControlPlane(options.kubeconfig(), progress);
            lab.startNodes(progress);
            lab.arpWatch = ArpWatch.start(network.ip(), topology.client().namespace(), Topology.UPLINK);
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Refuses when the lab cannot run; installs what apt-get can fix when root on Debian.
     * tcpdump and ping are checked here: the drill reads ARP answers on the client with the
     * one and makes the client ask who holds each VIP with the other.
     */
    static void preflight(Consumer<String> progress) {
        List<LabPreflight.Problem> problems = new ArrayList<>(LabPreflight.check());
        if (!hasBinary("tcpdump")) {
            problems.add(new LabPreflight.Problem("tcpdump not found (the drill watches ARP answers on the client with it):"
                    + " apt-get install -y tcpdump", Optional.of("tcpdump")));
        }
        if (!hasBinary("ping")) {
            problems.add(new LabPreflight.Problem("ping not found (the drill makes the client resolve each VIP with it):"
                    + " apt-get install -y iputils-ping", Optional.of("iputils-ping")));
        }
        if (problems.isEmpty()) {
            return;
        }
        boolean fixable = LabPreflight.isRoot() && problems.stream().allMatch(p -> p.debianPackage().isPresent());
        if (fixable) {
            progress.accept("installing missing packages: " + problems.stream().map(p -> p.debianPackage().get()).toList());
            var result = LabPreflight.installMissing(problems);
            if (result.isPresent() && result.get().succeeded() && LabPreflight.check().isEmpty() && hasBinary("tcpdump")
                    && hasBinary("ping")) {
                return;
            }
        }
        throw new LabRefusedException("lab refused to start: "
                + String.join("; ", problems.stream().map(LabPreflight.Problem::message).toList()));
    }

    private static boolean hasBinary(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private void startControlPlane(Optional<Path> externalKubeconfig, Consumer<String> progress) throws IOException {
        Host cp = network.topology().controlPlane();
        secretFile = runDir.resolve("membership-secret");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(secretFile, HexFormat.of().formatHex(secret) + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        if (externalKubeconfig.isPresent()) {
            kubeconfig = externalKubeconfig.get().toAbsolutePath();
            client = new KubernetesClientBuilder().withConfig(KubeconfigFile.read(kubeconfig)).build();
            progress.accept("using the API server of " + kubeconfig + " (no embedded API server, no lab controller)");
        } else {
            progress.accept("starting the embedded API server on " + cp.ipv4() + ":" + API_PORT);
            Path socket = runDir.resolve("api.sock");
            apiServer = processes.startJava(cp, "apiserver", EmbeddedApiServer.class.getName(),
                    List.of("--bind", cp.ipv4().toString(), "--port", Integer.toString(API_PORT), "--relay-socket", socket.toString()));
            if (apiServer.awaitLine(l -> l.startsWith(EmbeddedApiServer.READY), START_BOUND).isEmpty()) {
                throw new IllegalStateException("embedded API server did not start within " + START_BOUND.toSeconds()
                        + " s; see " + apiServer.log());
            }
            kubeconfig = Kubeconfig.write(runDir.resolve("kubeconfig"), "http://" + cp.ipv4() + ":" + API_PORT, "default");
            relay = SocketRelay.toUnixSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket);
            int port = ((InetSocketAddress) relay.localAddress()).getPort();
            // the operator's kubectl on this host goes through the same relay
            hostKubeconfig = Kubeconfig.write(runDir.resolve("kubeconfig-host"), "http://127.0.0.1:" + port, "default");
            client = new KubernetesClientBuilder().withConfig(
                    Config.fromKubeconfig(Kubeconfig.text("http://127.0.0.1:" + port, "default"))).build();
        }
        LabObjects objects = new LabObjects(client);
        objects.createNamespaces();
        if (embedded) {
            Map<String, String> nodes = new LinkedHashMap<>();
            network.topology().nodes().forEach(n -> nodes.put(n.name(), n.ipv4().toString()));
            objects.createNodes(nodes);
        }
        objects.createPool(List.of(Topology.vipRange(IpFamily.IPv4), Topology.vipRange(IpFamily.IPv6)));
        if (embedded) {
            progress.accept("starting the controller");
            for (int attempt = 1; controller == null; attempt++) {
                LabProcess c = processes.startJava(cp, "controller", CONTROLLER_MAIN,
                        List.of("--kubeconfig", kubeconfig.toString(), "--leader-elect=false",
                                "--metrics-port", Integer.toString(CONTROLLER_METRICS_PORT)));
                if (awaitReady(cp, CONTROLLER_METRICS_PORT, READY_BOUND)) {
                    controller = c;
                } else {
                    retryOrFail(c, attempt);
                }
            }
        }
    }

    /**
     * A process not ready in time is killed and started again, at most {@value #START_ATTEMPTS}
     * times: on a loaded machine a client's first list can time out, and an informer whose
     * first list failed never recovers.
     */
    private static void retryOrFail(LabProcess p, int attempt) {
        p.kill();
        p.waitFor(Duration.ofSeconds(5));
        if (attempt >= START_ATTEMPTS) {
            throw new IllegalStateException(p.name() + " not ready after " + START_ATTEMPTS + " attempts of "
                    + READY_BOUND.toSeconds() + " s; see " + p.log());
        }
        LOG.warn("{} not ready within {} s, starting it again", p, READY_BOUND.toSeconds());
    }

    /**
     * Polls {@code GET /readyz} on a port inside the host's namespace (bash's /dev/tcp: no
     * HTTP client needed in the namespace) until it answers 200, at most {@code bound}.
     */
    boolean awaitReady(Host host, int port, Duration bound) {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -c 12 <&3";
        long deadline = System.nanoTime() + bound.toNanos();
        for (int i = 0; i < 10_000 && System.nanoTime() < deadline; i++) {
            var r = new Command(network.ip().execArgv(host.namespace(), List.of("bash", "-c", script)), Duration.ofSeconds(5)).run();
            if (r.succeeded() && r.stdout().contains(" 200")) {
                return true;
            }
            sleepQuietly(250);
        }
        return false;
    }

    private void startNodes(Consumer<String> progress) {
        for (Host node : network.topology().nodes()) {
            progress.accept("starting backend and speaker on " + node.name());
            backends.put(node.name(), NodeBackend.startOn(processes, node, START_BOUND));
            startSpeaker(node);
        }
    }

    /** Starts (or restarts) the speaker of a node and waits until it is ready (bounded, retried). */
    public LabProcess startSpeaker(Host node) {
        return startSpeaker(node, secretFile);
    }

    /**
     * Starts the speaker of a node with the given membership secret file instead of the
     * lab's: with another secret it is a speaker the others must not admit.
     */
    public LabProcess startSpeaker(Host node, Path membershipSecretFile) {
        for (int attempt = 1; ; attempt++) {
            LabProcess p = launchSpeaker(node, membershipSecretFile);
            if (awaitReady(node, SPEAKER_METRICS_PORT, READY_BOUND)) {
                return p;
            }
            retryOrFail(p, attempt);
        }
    }

    private LabProcess launchSpeaker(Host node, Path membershipSecretFile) {
        List<String> peers = new ArrayList<>();
        for (Host n : network.topology().nodes()) {
            peers.add(n.ipv4() + ":" + MEMBERSHIP_PORT);
        }
        LabProcess p = processes.startJava(node, "speaker-" + node.name(), speakerJvmOptions, SPEAKER_MAIN, List.of(
                "--node", node.name(),
                "--kubeconfig", kubeconfig.toString(),
                "--membership-secret-file", membershipSecretFile.toString(),
                "--membership-bind", node.ipv4() + ":" + MEMBERSHIP_PORT,
                "--membership-peers", String.join(",", peers),
                "--metrics-port", Integer.toString(SPEAKER_METRICS_PORT)));
        speakers.put(node.name(), p);
        return p;
    }

    /**
     * Creates {@code count} LoadBalancer Services, waits (bounded) for their IPs, puts the IPs
     * on every node's VIP link (the kube-proxy stand-in) and starts the client probe.
     */
    public Map<String, String> deployServices(int count, Duration bound, Consumer<String> progress) throws InterruptedException {
        return deployServices(count, Topology.VIP_COUNT, bound, progress);
    }

    /** As {@link #deployServices(int, Duration, Consumer)}, with the first {@code ipv4Count} Services IPv4 and the rest IPv6. */
    public Map<String, String> deployServices(int count, int ipv4Count, Duration bound, Consumer<String> progress)
            throws InterruptedException {
        LabObjects objects = new LabObjects(client);
        List<String> names = objects.createServices(count, Math.min(ipv4Count, Topology.VIP_COUNT));
        progress.accept("waiting for " + count + " Service IPs from the controller");
        Map<String, String> ips = objects.awaitIps(names, bound);
        if (ips.size() < names.size()) {
            List<String> missing = names.stream().filter(n -> !ips.containsKey(n)).toList();
            throw new IllegalStateException(missing.size() + " of " + names.size() + " Services got no IP within "
                    + bound.toSeconds() + " s (e.g. " + LabObjects.SERVICE_NAMESPACE + "/" + missing.get(0)
                    + "); controller log: " + (controller == null ? "(none)" : controller.log()));
        }
        serviceIps.putAll(ips);
        for (Host node : network.topology().nodes()) {
            for (String ip : ips.values()) {
                network.addVip(node, dev.ferrite.api.net.IpAddress.parse(ip).orElseThrow());
            }
        }
        startProbe();
        return Map.copyOf(ips);
    }

    /**
     * One probe thread per VIP every 5 ms; beyond 20 Services the interval grows (0.25 ms per
     * Service) so the client's probes stay within what two shared cores can run.
     */
    private void startProbe() {
        probeInterval = Duration.ofMillis(Math.max(5, serviceIps.size() / 4));
        ProbeOptions options = new ProbeOptions(List.copyOf(serviceIps.values()), NodeBackend.DEFAULT_PORT, probeInterval,
                ProbeOptions.DEFAULT_CONNECT_TIMEOUT, ProbeOptions.DEFAULT_READ_TIMEOUT, Long.MAX_VALUE, ProbeOptions.MAX_DURATION);
        probe = ProbeMain.startOn(processes, network.topology().client(), options);
        Path log = probe.log();
        probeTail = new Thread(() -> tail(log), "probe-tail");
        probeTail.setDaemon(true);
        probeTail.start();
    }

    /**
     * Starts the probe again if it ended: a probe process stops after at most an hour, and a
     * long drill must not lose its eyes.
     */
    public void ensureProbe() {
        if (probe != null && !probe.isAlive() && !closing) {
            LOG.info("client probe ended, starting it again");
            probeTail.interrupt();
            startProbe();
        }
    }

    /** Follows the probe's log as it grows, feeding results into the probe log. */
    private void tail(Path log) {
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        byte[] buf = new byte[1 << 16];
        while (!closing) {
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                f.seek(offset);
                int n;
                boolean any = false;
                while ((n = f.read(buf)) > 0) {
                    any = true;
                    offset += n;
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        ProbeResult.parse(line).ifPresent(r -> probeLog.add(sample(r)));
                    }
                }
                if (!any) {
                    Thread.sleep(10);
                }
            } catch (IOException e) {
                sleepQuietly(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static ProbeSample sample(ProbeResult r) {
        if (r instanceof ProbeResult.Answered a) {
            return new ProbeSample(a.vip(), a.tNanos(), true, Optional.of(a.node()));
        }
        return new ProbeSample(r.vip(), r.tNanos(), false, Optional.empty());
    }

    /**
     * Waits until every Service IP was answered by exactly one node through the last
     * {@code window}; returns the owner of each IP, or empty when the bound passed first.
     */
    public Optional<Map<String, String>> awaitSteady(Duration window, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int minProbes = (int) Math.max(3, window.toNanos() / probeInterval.toNanos() / 2);
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
            long now = System.nanoTime();
            Optional<Map<String, String>> owners = probeLog.steadyOwners(serviceIps.values(), now - window.toNanos(), now, minProbes);
            if (owners.isPresent()) {
                return owners;
            }
            Thread.sleep(25);
        }
        return Optional.empty();
    }

    /**
     * Waits until the IPs are steadily answered by exactly the given owners (bounded). After
     * a node comes back the election, a pure function of the live nodes, gives it back what
     * it owned before; waiting for that keeps the failback out of the next measurement.
     */
    public boolean awaitOwners(Map<String, String> expected, Duration window, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int minProbes = (int) Math.max(3, window.toNanos() / probeInterval.toNanos() / 2);
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
            long now = System.nanoTime();
            Optional<Map<String, String>> owners = probeLog.steadyOwners(serviceIps.values(), now - window.toNanos(), now, minProbes);
            if (owners.isPresent() && owners.get().equals(expected)) {
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }

    /**
     * Makes the client ask again who holds each VIP (flush its neighbour table, one ping per
     * VIP, at most {@code maxIps}), so every node that would answer does so on the wire.
     */
    public void provokeArp(int maxIps) {
        Host client = network.topology().client();
        Command.of(network.ip().path(), "-n", client.namespace(), "neigh", "flush", "dev", Topology.UPLINK).run();
        int n = 0;
        for (String ip : serviceIps.values()) {
            if (n++ >= maxIps) {
                break;
            }
            network.exec(client, List.of("ping", "-n", "-q", "-c", "1", "-W", "1", ip));
        }
    }

    public LabNetwork network() {
        return network;
    }

    public Topology topology() {
        return network.topology();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A kubeconfig for the host's own network namespace (through the relay); empty with {@code --kubeconfig}. */
    public Optional<Path> hostKubeconfig() {
        return Optional.ofNullable(hostKubeconfig);
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
        return probeLog;
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
        return Optional.ofNullable(controller);
    }

    public Optional<LabProcess> apiServer() {
        return Optional.ofNullable(apiServer);
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
        return client;
    }

    private void closeWatchers() {
        closing = true;
        if (!embedded && client != null) {
            // a real cluster outlives the lab: take back the Services, pool and advertisement it made
            try {
                new LabObjects(client).deleteAll();
            } catch (KubernetesClientException e) {
                LOG.warn("lab objects not removed from the cluster: {}", e.getMessage());
            }
        }
        if (probeTail != null) {
            probeTail.interrupt();
        }
        if (arpWatch != null) {
            arpWatch.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** Keeps the run directory (logs, kubeconfig) after close, for a drill that went wrong. */
    public void keepRunDir() {
        keepRunDir = true;
    }

    public void discardRunDirOnClose() {
        keepRunDir = false;
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

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
