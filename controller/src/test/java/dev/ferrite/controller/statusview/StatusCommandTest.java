package dev.ferrite.controller.statusview;

import static dev.ferrite.controller.statusview.StatusFixtures.NOW;
import static dev.ferrite.controller.statusview.StatusFixtures.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ferrite status} end to end against the embedded API server: objects created the way
 * the controller and speakers write them, read through a kubeconfig file as an operator's
 * kubectl would, printed as JSON.
 */
@EnableKubernetesMockClient(crud = true)
class StatusCommandTest {

    // instance fields: a fresh, empty API server for every test
    KubernetesMockServer server;
    KubernetesClient client;

    /** Held so the level sticks: the mock server logs every request at INFO through JUL. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void knowTheCustomResources() {
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(IPAddressPool.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(L2Advertisement.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(ServiceL2Status.class));
    }

    private Path kubeconfig(String server) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lab
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: operator
                  user:
                    token: lab-token
                contexts:
                - name: lab
                  context:
                    cluster: lab
                    user: operator
                current-context: lab
                """.formatted(server));
        return file;
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new StatusCommand(Clock.fixed(now, ZoneOffset.UTC)));
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The report's clock: the API server stamps creation with its own time, so ages count from the first object. */
    private Instant now = NOW;

    private Service create(Service s) {
        // the mock keeps status on create, so this is what the controller's status write leaves
        Service created = client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).create();
        if (now == NOW) {
            // objects created within the next 30 s all read 5m
            now = Instant.parse(created.getMetadata().getCreationTimestamp()).plus(Duration.ofMinutes(5).plusSeconds(30));
        }
        return created;
    }

    @Test
    void jsonOutputReportsWhatTheClusterHolds() throws IOException {
        create(StatusFixtures.service("default", "web", Duration.ofMinutes(5), "lab", "198.18.0.200"));
        create(StatusFixtures.service("default", "web-udp", Duration.ofMinutes(5), "lab", "198.18.0.200"));
        Service db = create(StatusFixtures.service("shop", "db", Duration.ofMinutes(9), null));
        create(StatusFixtures.withClass(StatusFixtures.service("edge", "cloud", Duration.ofDays(1), null, "203.0.113.9"),
                "example.com/other-lb"));
        client.resources(ServiceL2Status.class).inNamespace(NS).resource(StatusFixtures.announced("default", "web", "node-1"))
                .create();
        client.resources(IPAddressPool.class).inNamespace(NS).resource(StatusFixtures.pool("lab", 2L, 8L, 0L, 0L)).create();
        client.resources(IPAddressPool.class).inNamespace(NS)
                .resource(StatusFixtures.invalidPool("broken", "spec.addresses[0]: \"10.0.0.0/33\" is not a CIDR or range"))
                .create();
        client.resources(L2Advertisement.class).inNamespace(NS).resource(StatusFixtures.advertisement("l2", null)).create();
        Event failed = StatusFixtures.event("shop", "db", "AllocationFailed",
                "Failed to allocate IP for shop/db: pool lab is full", Duration.ofMinutes(1));
        failed.getInvolvedObject().setUid(db.getMetadata().getUid());
        client.v1().events().inNamespace("shop").resource(failed).create();

        Run run = run("--kubeconfig", kubeconfig(client.getConfiguration().getMasterUrl()).toString(), "-o", "json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode root = JsonMapper.builder().build().readTree(run.out());
        List<String> services = new ArrayList<>();
        root.get("services").forEach(s -> services.add(s.get("namespace").asString() + "/" + s.get("name").asString()
                + " " + s.get("ips") + " " + s.get("pool").asString(null) + " " + s.get("nodes") + " " + s.get("age").asString()));
        assertEquals(List.of(
                "default/web [\"198.18.0.200\"] lab [\"node-1\"] 5m",
                "default/web-udp [\"198.18.0.200\"] lab [] 5m"), services, "another class's Service is left out");
        assertEquals("Failed to allocate IP for shop/db: pool lab is full",
                root.get("pending").get(0).get("reason").asString());
        assertEquals("shop", root.get("pending").get(0).get("namespace").asString());
        JsonNode lab = root.get("pools").get(1);
        assertEquals("lab", lab.get("name").asString());
        assertEquals(2, lab.get("ipv4").get("used").asLong());
        assertEquals(10, lab.get("ipv4").get("total").asLong());
        assertEquals("broken", root.get("invalid").get(0).get("name").asString());
        assertEquals("spec.addresses[0]: \"10.0.0.0/33\" is not a CIDR or range",
                root.get("invalid").get(0).get("error").asString());
    }

    @Test
    void serviceNamespaceAndAllClassesNarrowAndWidenTheList() throws IOException {
        create(StatusFixtures.service("default", "web", Duration.ofMinutes(5), "lab", "198.18.0.200"));
        create(StatusFixtures.withClass(StatusFixtures.service("edge", "cloud", Duration.ofDays(1), null, "203.0.113.9"),
                "example.com/other-lb"));
        String config = kubeconfig(client.getConfiguration().getMasterUrl()).toString();

        Run all = run("--kubeconfig", config, "-o", "json", "--all-classes");
        assertEquals(0, all.exitCode(), all.err());
        JsonNode cloud = JsonMapper.builder().build().readTree(all.out()).get("services").get(1);
        assertEquals("cloud", cloud.get("name").asString());
        assertEquals(false, cloud.get("ferrite").asBoolean());
        assertEquals("example.com/other-lb", cloud.get("loadBalancerClass").asString());

        Run onlyEdge = run("--kubeconfig", config, "-o", "yaml", "--all-classes", "-n", "edge");
        assertEquals(0, onlyEdge.exitCode(), onlyEdge.err());
        assertTrue(onlyEdge.out().contains("name: cloud"), onlyEdge.out());
        assertTrue(!onlyEdge.out().contains("name: web"), onlyEdge.out());
    }

    @Test
    void tableIsTheDefaultOutput() throws IOException {
        create(StatusFixtures.service("default", "web", Duration.ofMinutes(5), "lab", "198.18.0.200"));
        Run run = run("--kubeconfig", kubeconfig(client.getConfiguration().getMasterUrl()).toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("SERVICES\nSERVICE       IPS            POOL   NODE     AGE\n"
                + "default/web   198.18.0.200   lab    <none>   5m\n"), run.out());
    }

    @Test
    void unreachableApiServerIsOneLineAndExitCodeOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the port was free a moment ago and nothing listens there now: connection refused
        Run run = run("--kubeconfig", kubeconfig("https://127.0.0.1:" + port).toString());
        assertEquals(1, run.exitCode());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("ferrite status: cannot reach the Kubernetes API server at https://127.0.0.1:" + port),
                run.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiFailures")
    void apiFailuresAreExplainedInOneLine(String what, KubernetesClientException e, String expected) {
        String line = StatusCommand.explain(e, "https://k8s.example:6443");
        assertEquals(expected, line);
    }

    static Stream<Arguments> apiFailures() {
        return Stream.of(
                Arguments.of("connection refused",
                        new KubernetesClientException("Operation: [list] failed.",
                                new java.net.ConnectException("Connection refused\nsecond line")),
                        "cannot reach the Kubernetes API server at https://k8s.example:6443: "
                                + "ConnectException: Connection refused second line"),
                Arguments.of("forbidden",
                        new KubernetesClientException(new StatusBuilder().withCode(403)
                                .withMessage("services is forbidden: User \"bob\" cannot list").build()),
                        "the API server at https://k8s.example:6443 refused the request (403): "
                                + "services is forbidden: User \"bob\" cannot list"),
                Arguments.of("CRDs missing",
                        new KubernetesClientException(new StatusBuilder().withCode(404).withMessage("the server could not "
                                + "find the requested resource").build()),
                        "not found on the API server at https://k8s.example:6443 (are the Ferrite CRDs installed?): "
                                + "the server could not find the requested resource"),
                Arguments.of("server error",
                        new KubernetesClientException(new StatusBuilder().withCode(500).withMessage("etcd timeout").build()),
                        "the API server at https://k8s.example:6443 answered 500: etcd timeout"));
    }

    @Test
    void missingKubeconfigIsOneLineAndExitCodeOne() {
        Run run = run("--kubeconfig", dir.resolve("nope").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("ferrite status: cannot read kubeconfig "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void unknownOutputFormatIsRejectedWithTheChoices() {
        Run run = run("-o", "xml");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("table, json, yaml"), run.err());
    }

    @Test
    void helpNamesEveryOption() {
        String help = new CommandLine(new StatusCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String option : new String[] {"--kubeconfig", "--namespace", "-n, --service-namespace", "-o, --output",
            "--all-classes", "--lb-class", "ferrite-system", "table, json, yaml"}) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
    }
}
