package dev.ferrite.controller;

import dev.ferrite.controller.election.LeaseElection;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferrite controller}: hands out LoadBalancer addresses from IPAddressPools. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {
            "Run the Ferrite controller: give LoadBalancer Services an address from an IPAddressPool,",
            "write it to status.loadBalancer.ingress, keep pool status and Events up to date.",
            "Replicas elect one active leader through a Lease; the others stand by."})
public final class ControllerCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file. Default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = ControllerOptions.DEFAULT_NAMESPACE,
            description = "Namespace of the IPAddressPools, L2Advertisements and the leader Lease (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--lb-class", paramLabel = "CLASS",
            description = "Handle only Services with this spec.loadBalancerClass. Default: only Services without a class.")
    String lbClass;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + ControllerOptions.DEFAULT_METRICS_PORT,
            description = "Port serving /metrics, /healthz and /readyz; -1 serves none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--leader-elect", paramLabel = "true|false", defaultValue = "true", arity = "0..1",
            description = "Elect one active replica through the Lease 'ferrite-controller' (default: ${DEFAULT-VALUE}).")
    boolean leaderElect;

    @Option(names = {"--identity", "--node-name"}, paramLabel = "NAME",
            description = "Holder identity in the Lease. Default: the host name.")
    String identity;

    @Option(names = "--write-concurrency", paramLabel = "N", defaultValue = "" + ControllerOptions.DEFAULT_WRITE_CONCURRENCY,
            description = "API writes in flight at once (default: ${DEFAULT-VALUE}).")
    int writeConcurrency;

    @Override
    public Integer call() throws Exception {
        ControllerOptions options = new ControllerOptions(namespace, Optional.ofNullable(lbClass).filter(s -> !s.isBlank()),
                metricsPort, leaderElect, identity != null ? identity : hostname(), Math.max(1, writeConcurrency),
                LeaseElection.Timing.DEFAULT);
        try (KubernetesClient client = client(kubeconfig)) {
            CountDownLatch stop = new CountDownLatch(1);
            Controller controller = Controller.start(options, client);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                controller.close();
                stop.countDown();
            }, "ferrite-controller-shutdown"));
            stop.await();
        }
        return 0;
    }

    static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
        if (kubeconfig == null) {
            // fabric8's autoconfiguration: $KUBECONFIG, ~/.kube/config, then in-cluster
            return new KubernetesClientBuilder().build();
        }
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    }

    static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "ferrite-controller";
        }
    }
}
