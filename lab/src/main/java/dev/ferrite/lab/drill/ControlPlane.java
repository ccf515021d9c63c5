package dev.ferrite.lab.drill;

import dev.ferrite.api.KubeconfigFile;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.controller.ControllerCommand;
import dev.ferrite.lab.apiserver.EmbeddedApiServer;
import dev.ferrite.lab.apiserver.Kubeconfig;
import dev.ferrite.lab.apiserver.SocketRelay;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.process.CommandMain;
import dev.ferrite.lab.process.ContainerImage;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.process.LabProcesses;
import dev.ferrite.lab.process.ReadyCheck;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * The lab's control plane: the membership secret, the embedded API server with the real
 * controller (or, with {@code --kubeconfig}, a real cluster's API and neither), the client
 * the drill talks to it with, and the objects every lab needs (namespaces, Nodes, the pool).
 *
 * <p>The drill runs in the root namespace, which has no route into the lab; it reaches the
 * embedded API server through a Unix socket the server relays to its own port.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    public static final int API_PORT = 6443;
    static final int CONTROLLER_METRICS_PORT = 7472;
    static final Duration START_BOUND = Duration.ofSeconds(60);

    private final Path kubeconfig;
    private final Path secretFile;
    private final KubernetesClient client;
    private final boolean embedded;
    private final LabProcess apiServer;
    private final SocketRelay relay;
    private LabProcess controller;

    private ControlPlane(Path kubeconfig, Path secretFile, KubernetesClient client, LabProcess apiServer, SocketRelay relay) {
        this.kubeconfig = kubeconfig;
        this.secretFile = secretFile;
        this.client = client;
        this.embedded = apiServer != null;
        this.apiServer = apiServer;
        this.relay = relay;
    }

    /** Starts the API server (unless {@code external}), creates the lab's objects, then starts the controller. */
    static ControlPlane start(LabNetwork network, LabProcesses processes, ReadyCheck ready, Path runDir,
                              Optional<Path> external, Optional<ContainerImage> image, Consumer<String> progress)
            throws IOException {
        Path secretFile = writeSecret(runDir.resolve("membership-secret"));
        ControlPlane cp;
        if (external.isPresent()) {
            Path kubeconfig = external.get().toAbsolutePath();
            KubernetesClient client = new KubernetesClientBuilder().withConfig(KubeconfigFile.read(kubeconfig)).build();
            progress.accept("using the API server of " + kubeconfig + " (no embedded API server, no lab controller)");
            cp = new ControlPlane(kubeconfig, secretFile, client, null, null);
        } else {
            cp = startEmbedded(network.topology().controlPlane(), processes, runDir, secretFile, progress);
        }
        try {
            cp.createLabObjects(network.topology());
            if (cp.embedded) {
                progress.accept("starting the controller" + image.map(i -> " from " + i.reference()).orElse(""));
                Host host = network.topology().controlPlane();
                cp.controller = ready.startUntilReady(host, CONTROLLER_METRICS_PORT, () -> cp.launchController(processes, host, image));
            }
            return cp;
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
    }

    private LabProcess launchController(LabProcesses processes, Host host, Optional<ContainerImage> image) {
        List<String> args = List.of("--kubeconfig", image.isPresent() ? ManifestContainers.KUBECONFIG : kubeconfig.toString(),
                "--leader-elect=false", "--metrics-port", Integer.toString(CONTROLLER_METRICS_PORT));
        if (image.isEmpty()) {
            List<String> command = new ArrayList<>(List.of(ControllerCommand.class.getName()));
            command.addAll(args);
            return processes.startJava(host, "controller", CommandMain.mainClass(), command);
        }
        // the controller's uid 65532 reads it; it holds no credentials (the embedded server has none)
        try {
            Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + kubeconfig + " readable for the controller's user", e);
        }
        List<String> command = new ArrayList<>(List.of("controller"));
        command.addAll(args);
        return processes.startContainer(host, "controller", image.get(),
                ManifestContainers.controller(kubeconfig, LabProcesses.DEFAULT_JVM_OPTIONS), command);
    }

    private static ControlPlane startEmbedded(Host host, LabProcesses processes, Path runDir, Path secretFile,
                                              Consumer<String> progress) throws IOException {
        progress.accept("starting the embedded API server on " + host.ipv4() + ":" + API_PORT);
        Path socket = runDir.resolve("api.sock");
        LabProcess apiServer = processes.startJava(host, "apiserver", LabProcesses.API_SERVER_JVM_OPTIONS, EmbeddedApiServer.class.getName(),
                List.of("--bind", host.ipv4().toString(), "--port", Integer.toString(API_PORT), "--relay-socket", socket.toString()));
        if (apiServer.awaitLine(l -> l.startsWith(EmbeddedApiServer.READY), START_BOUND).isEmpty()) {
            throw new IllegalStateException("embedded API server did not start within " + START_BOUND.toSeconds()
                    + " s; see " + apiServer.log());
        }
        Path kubeconfig = Kubeconfig.write(runDir.resolve("kubeconfig"), "http://" + host.ipv4() + ":" + API_PORT, "default");
        SocketRelay relay = SocketRelay.toUnixSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket);
        int port = ((InetSocketAddress) relay.localAddress()).getPort();
        // the operator's kubectl on this host goes through the same relay
        Kubeconfig.write(runDir.resolve("kubeconfig-host"), "http://127.0.0.1:" + port, "default");
        KubernetesClient client = new KubernetesClientBuilder().withConfig(
                Config.fromKubeconfig(Kubeconfig.text("http://127.0.0.1:" + port, "default"))).build();
        return new ControlPlane(kubeconfig, secretFile, client, apiServer, relay);
    }

    private void createLabObjects(Topology topology) {
        LabObjects objects = new LabObjects(client);
        objects.createNamespaces();
        if (embedded) {
            Map<String, List<String>> nodes = new LinkedHashMap<>();
            topology.nodes().forEach(n -> nodes.put(n.name(), List.of(n.ipv4().toString(), n.ipv6().toString())));
            objects.createNodes(nodes);
        }
        objects.createPool(List.of(Topology.vipRange(IpFamily.IPv4), Topology.vipRange(IpFamily.IPv6)));
    }

    private static Path writeSecret(Path file) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.writeString(file, HexFormat.of().formatHex(secret) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The host-side kubeconfig (through the relay) of an embedded API server. */
    public Optional<Path> hostKubeconfig() {
        return embedded ? Optional.of(kubeconfig.resolveSibling("kubeconfig-host")) : Optional.empty();
    }

    public Path secretFile() {
        return secretFile;
    }

    public KubernetesClient client() {
        return client;
    }

    public boolean embedded() {
        return embedded;
    }

    public Optional<LabProcess> apiServer() {
        return Optional.ofNullable(apiServer);
    }

    public Optional<LabProcess> controller() {
        return Optional.ofNullable(controller);
    }

    /** Takes the lab's objects back from a real cluster and closes the client; processes stop with the lab's. */
    @Override
    public void close() {
        if (!embedded) {
            // a real cluster outlives the lab: take back the Services, pool and advertisement it made
            try {
                new LabObjects(client).deleteAll();
            } catch (KubernetesClientException e) {
                LOG.warn("lab objects not removed from the cluster: {}", e.getMessage());
            }
        }
        if (relay != null) {
            relay.close();
        }
        client.close();
        try {
            Files.deleteIfExists(secretFile);
        } catch (IOException e) {
            LOG.warn("membership secret {} not removed: {}", secretFile, e.getMessage());
        }
    }
}
