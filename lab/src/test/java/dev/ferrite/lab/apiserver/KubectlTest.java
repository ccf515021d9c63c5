package dev.ferrite.lab.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} (when installed) against the lab's API server, the way an
 * operator uses it: discovery resolves short names, {@code apply -k deploy/} and the
 * examples work, tables carry the CRDs' printer columns, a second apply and a default
 * (strategic merge) patch change the object, describe finds the Service's Events, delete
 * removes it.
 */
class KubectlTest {
    @TempDir
    Path dir;
    EmbeddedApiServer server;
    Path kubeconfig;

    static boolean kubectlInstalled() {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    }

    static Path deploy() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("deploy/crds"))) {
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalStateException("no deploy/ above " + Path.of("").toAbsolutePath());
        }
        return d.resolve("deploy");
    }

    @BeforeEach
    void start() throws Exception {
        assumeTrue(kubectlInstalled(), "kubectl is not installed");
        server = new EmbeddedApiServer();
        String url = server.start(InetAddress.getLoopbackAddress(), 0);
        kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), url, "default");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Result(int code, String out, String err) {
    }

    Result kubectl(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " did not finish");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    String ok(String stdin, String... args) throws Exception {
        Result r = kubectl(stdin, args);
        assertEquals(0, r.code(), "kubectl " + String.join(" ", args) + ": " + r.err() + r.out());
        return r.out();
    }

    static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default, labels: {app: web}}
            spec:
              type: LoadBalancer
              selector: {app: web}
              ports: [{name: http, port: %d, targetPort: 8080}]
            """;

    @Test
    void discoveryResolvesEveryResourceAnOperatorNames() throws Exception {
        String resources = ok(null, "api-resources", "--no-headers");
        for (String r : List.of("services", "endpointslices", "nodes", "events", "leases",
                "ipaddresspools", "l2advertisements", "servicel2statuses")) {
            assertTrue(resources.lines().anyMatch(l -> l.startsWith(r + " ")), r + " missing from\n" + resources);
        }
        for (String shortName : List.of("svc", "no", "ev", "ipp", "l2adv", "sl2s", "endpointslices", "leases")) {
            ok(null, "get", shortName, "-A");
        }
    }

    @Test
    void installAndExamplesApplyAndPrintTheirColumns() throws Exception {
        String applied = ok(null, "apply", "-k", deploy().toString());
        assertTrue(applied.contains("daemonset.apps/ferrite-speaker created"), applied);
        ok(null, "apply", "-k", deploy().resolve("examples").toString());
        assertTrue(ok(null, "apply", "-k", deploy().resolve("examples").toString()).contains("unchanged"));
        String pools = ok(null, "-n", "ferrite-system", "get", "ipaddresspools");
        assertTrue(pools.lines().findFirst().orElse("").matches("NAME\\s+AGE\\s+ADDRESSES\\s+AUTO ASSIGN\\s+ASSIGNED IPV4.*"), pools);
        assertTrue(pools.contains("198.18.0.200-198.18.0.250"), pools);
        String wide = ok(null, "-n", "ferrite-system", "get", "ipp", "-o", "wide");
        assertTrue(wide.contains("AVAILABLE IPV6"), wide);
    }

    @Test
    void serviceCanBeAppliedPatchedDescribedAndDeleted() throws Exception {
        ok(SERVICE.formatted(80), "apply", "-f", "-");
        assertTrue(ok(SERVICE.formatted(81), "apply", "-f", "-").contains("configured"));
        ok(null, "patch", "svc", "web", "-p", "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}");
        assertEquals("81 web front", ok(null, "get", "svc", "web", "-o",
                "jsonpath={.spec.ports[0].port} {.metadata.labels.app} {.metadata.labels.tier}"));
        String table = ok(null, "get", "svc");
        assertTrue(table.lines().findFirst().orElse("").matches("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE"), table);

        String uid = ok(null, "get", "svc", "web", "-o", "jsonpath={.metadata.uid}");
        ok("""
                apiVersion: v1
                kind: Event
                metadata: {name: web.1, namespace: default}
                involvedObject: {kind: Service, name: web, namespace: default, uid: %s}
                reason: IPAllocated
                message: got 198.18.0.200 from pool default
                type: Normal
                """.formatted(uid), "create", "-f", "-");
        String described = ok(null, "describe", "svc", "web");
        assertTrue(described.contains("IPAllocated") && described.contains("got 198.18.0.200 from pool default"), described);

        ok(null, "delete", "svc", "web");
        assertTrue(kubectl(null, "get", "svc", "web").code() != 0, "web still there after delete");
    }

    @Test
    void imperativeCreateIsRefusedWithAReasonAndItsDryRunAppliesInstead() throws Exception {
        // kubectl's generators send protobuf, which the mock cannot read: a clear 415, not a hang
        Result created = kubectl(null, "-n", "default", "create", "secret", "generic", "s1", "--from-literal=secret=abc");
        assertTrue(created.code() != 0, created.out());
        assertTrue(created.err().contains("takes JSON bodies only"), created.err());
        String manifest = ok(null, "-n", "default", "create", "secret", "generic", "s1", "--from-literal=secret=abc",
                "--dry-run=client", "-o", "yaml");
        ok(manifest, "apply", "-f", "-");
        assertEquals("YWJj", ok(null, "-n", "default", "get", "secret", "s1", "-o", "jsonpath={.data.secret}"));
    }

    @Test
    void serverSideApplyCreatesThenUpdates() throws Exception {
        ok(SERVICE.formatted(80), "apply", "--server-side", "-f", "-");
        ok(SERVICE.formatted(82), "apply", "--server-side", "-f", "-");
        assertEquals("82", ok(null, "get", "svc", "web", "-o", "jsonpath={.spec.ports[0].port}"));
    }
}
