package dev.ferrite.controller;

import dev.ferrite.api.KubeconfigFile;
import dev.ferrite.controller.election.LeaseElection;
import dev.ferrite.controller.webhook.WebhookService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Option(names = "--webhook-listen", paramLabel = "HOST:PORT",
            description = "Serve the validating admission webhook (HTTPS, path /validate) on this address, e.g. :9443. "
                    + "Default: no webhook.")
    String webhookListen;

    @Option(names = "--webhook-cert-file", paramLabel = "FILE", defaultValue = "/etc/ferrite/webhook/tls.crt",
            description = "PEM certificate of the webhook; a renewed file is picked up without a restart (default: ${DEFAULT-VALUE}).")
    Path webhookCert;

    @Option(names = "--webhook-key-file", paramLabel = "FILE", defaultValue = "/etc/ferrite/webhook/tls.key",
            description = "PEM private key of the webhook (default: ${DEFAULT-VALUE}).")
    Path webhookKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Optional<InetSocketAddress> webhook;
        try {
            webhook = Optional.ofNullable(webhookListen).filter(s -> !s.isBlank()).map(ControllerCommand::listenAddress);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("--webhook-listen: " + e.getMessage());
            return 2;
        }
        ControllerOptions options = new ControllerOptions(namespace, Optional.ofNullable(lbClass).filter(s -> !s.isBlank()),
                metricsPort, leaderElect, identity != null ? identity : hostname(), Math.max(1, writeConcurrency),
                LeaseElection.Timing.DEFAULT);
        try (KubernetesClient client = client(kubeconfig)) {
            CountDownLatch stop = new CountDownLatch(1);
            WebhookService admission = webhook.isPresent()
                    ? WebhookService.start(client, namespace, webhook.get(), webhookCert.toFile(), webhookKey.toFile())
                    : null;
            Controller controller = Controller.start(options, client);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                controller.close();
                if (admission != null) {
                    admission.close();
                }
                stop.countDown();
            }, "ferrite-controller-shutdown"));
            stop.await();
        }
        return 0;
    }

    /** {@code :9443}, {@code 0.0.0.0:9443} or {@code [::]:9443}; no host means every address. */
    static InetSocketAddress listenAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not HOST:PORT or :PORT");
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\": port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": port out of range");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    static KubernetesClient client(Path kubeconfig) throws java.io.IOException {
        return new KubernetesClientBuilder().withConfig(KubeconfigFile.read(kubeconfig)).build();
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
