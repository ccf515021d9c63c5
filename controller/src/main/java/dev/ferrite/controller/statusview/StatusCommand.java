package dev.ferrite.controller.statusview;

import dev.ferrite.api.KubeconfigFile;
import dev.ferrite.controller.ControllerOptions;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferrite status}: one look at what Ferrite is doing in a cluster. Reads once, prints,
 * exits; a cluster that cannot be read is one line on stderr and exit code 1, never a stack
 * trace, because the usual causes (wrong context, VPN down, CRDs missing) are the operator's
 * to fix and the message must name which one it is.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show LoadBalancer Services with their IPs, pool, announcing node and age; pools with "
                + "used/total addresses per family; Services still pending with the controller's reason; pools and "
                + "advertisements the controller found invalid, with the error.")
public final class StatusCommand implements Callable<Integer> {

    /** Long enough for a slow API server, short enough that a wrong address fails promptly. */
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int REQUEST_TIMEOUT_MS = 30_000;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig file. Default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = ControllerOptions.DEFAULT_NAMESPACE,
            description = "Namespace of Ferrite's IPAddressPools, L2Advertisements and ServiceL2Statuses (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-n", "--service-namespace"}, paramLabel = "NS",
            description = "Show only Services of this namespace. Default: all namespaces.")
    String serviceNamespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--lb-class", paramLabel = "CLASS",
            description = "The spec.loadBalancerClass the controller handles, as given to 'ferrite controller --lb-class'. "
                    + "Default: Services without a class.")
    String lbClass;

    @Option(names = "--all-classes",
            description = "Also list LoadBalancer Services of other classes, marked as not Ferrite's.")
    boolean allClasses;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    public StatusCommand() {
        this(Clock.systemUTC());
    }

    StatusCommand(Clock clock) {
        this.clock = clock;
    }

    /**
     * The client warns once per type that {@code ferrite.dev/v1beta1} is not a stable API
     * version: our own API, so nothing an operator reading a status report can act on. Read by
     * slf4j-simple (the CLI's backend) when the logger is created, which is at the first list.
     */
    private static final String VERSION_WARNING_LEVEL =
            "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

    @Override
    public Integer call() {
        if (System.getProperty(VERSION_WARNING_LEVEL) == null) {
            System.setProperty(VERSION_WARNING_LEVEL, "error");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config config;
        try {
            config = config(kubeconfig);
        } catch (IOException e) {
            err.println("ferrite status: cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
            return 1;
        }
        Optional<String> only = Optional.ofNullable(serviceNamespace).filter(s -> !s.isBlank());
        ClusterObjects objects;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            objects = ClusterReader.read(client, namespace, only);
        } catch (KubernetesClientException e) {
            err.println("ferrite status: " + explain(e, config.getMasterUrl()));
            return 1;
        }
        StatusReport report = StatusReport.build(objects,
                new StatusReport.Options(Optional.ofNullable(lbClass).filter(s -> !s.isBlank()), allClasses, only),
                clock.instant());
        out.print(output.render(report));
        out.flush();
        return 0;
    }

    /** The client configuration: the given kubeconfig, else fabric8's usual search; no retries. */
    static Config config(Path kubeconfig) throws IOException {
        Config config = KubeconfigFile.read(kubeconfig);
        // one-shot command: a retried connect against an unreachable server only delays the error
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MS);
        return config;
    }

    /** One line saying what went wrong with which server. */
    static String explain(KubernetesClientException e, String server) {
        int code = e.getCode();
        if (code == 401 || code == 403) {
            return "the API server at " + server + " refused the request (" + code + "): " + status(e);
        }
        if (code == 404) {
            return "not found on the API server at " + server + " (are the Ferrite CRDs installed?): " + status(e);
        }
        if (code > 0) {
            return "the API server at " + server + " answered " + code + ": " + status(e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null || root.getMessage().isBlank()
                ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return "cannot reach the Kubernetes API server at " + server + ": " + why.replace('\n', ' ');
    }

    private static String status(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage().replace('\n', ' ');
        }
        return String.valueOf(e.getMessage()).replace('\n', ' ');
    }
}
