package dev.ferrite.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.lab.apiserver.EmbeddedApiServer;
import dev.ferrite.lab.apiserver.Kubeconfig;
import dev.ferrite.lab.drill.Drill;
import dev.ferrite.lab.drill.Fault;
import dev.ferrite.lab.drill.LabSession;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.process.ContainerImage;
import dev.ferrite.lab.process.LabProcess;
import dev.ferrite.lab.report.FaultRun;
import dev.ferrite.lab.report.ProgressLine;
import dev.ferrite.lab.report.ServiceOutcome;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image as deploy/image/build makes it, run with podman the way the manifests run it:
 * it prints its version; the controller, as uid 65532 on a read-only root filesystem with
 * every capability dropped, allocates an address through the lab's API server; and a short
 * drill ({@code lab drill --image}) runs controller and speakers from it, each speaker in a
 * lab node's network namespace with only NET_RAW and NET_ADMIN, answering ARP for the IP it
 * owns. Needs root, podman, runc and mmdebstrap (run-tests installs them); skipped otherwise.
 */
@Tag("packaged")
class ImageTest {
    static Path root;
    static String image;

    static boolean installed(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    @BeforeAll
    static void build() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the image tests need root (podman, mmdebstrap)");
        assumeTrue(installed("podman") && installed("mmdebstrap"), "podman or mmdebstrap is not installed");
        root = Path.of("").toAbsolutePath().getParent();
        assumeTrue(Files.isRegularFile(root.resolve("cli/target/ferrite.jar")), "cli/target/ferrite.jar not built");
        List<String> out = run(900, root.resolve("deploy/image/build").toString());
        image = out.get(out.size() - 1).trim();
        assertTrue(image.startsWith("localhost/ferrite:"), "deploy/image/build printed " + out);
    }

    static List<String> run(int seconds, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", root.resolve("deploy/image/containers.conf").toString());
        Path log = Files.createTempFile("ferrite-image", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + seconds + " s: " + Files.readString(log));
            }
            List<String> lines = Files.readAllLines(log);
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + String.join("\n", lines));
            return lines;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static List<String> podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        return run(120, cmd.toArray(String[]::new));
    }

    @Test
    void imagePrintsItsVersionAndArchiveIsAnOciLayout() throws Exception {
        String version = image.substring(image.indexOf(':') + 1);
        List<String> out = podman("run", "--rm", image, "version");
        assertEquals("ferrite " + version, out.get(0), String.join("\n", out));
        List<String> labels = podman("image", "inspect", "--format", "{{index .Labels \"dev.ferrite.packages\"}}", image);
        assertTrue(labels.get(0).contains("openjdk-17-jre-headless=") && labels.get(0).contains("libpcap0.8="), labels.toString());
        List<String> entries = run(60, "tar", "-tf", root.resolve("deploy/image/target/ferrite-" + version + ".tar").toString());
        assertTrue(entries.contains("oci-layout") && entries.contains("index.json"), entries.toString());
    }

    @Test
    void theImageMapsItsClassDataArchive() throws Exception {
        // with -Xshare:on the JVM refuses to start unless it maps the archive the entrypoint
        // names: dumped for this jar, at the jar's size and time in the image
        List<String> out = podman("run", "--rm", "--env", "JAVA_TOOL_OPTIONS=-Xshare:on -Xlog:cds=info", image, "version");
        assertTrue(out.stream().anyMatch(l -> l.contains("/opt/ferrite/ferrite.jsa")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("ferrite ")), String.join("\n", out));
    }

    @Test
    void aShortDrillRunsControllerAndSpeakersFromTheImage() throws Exception {
        ContainerImage containers = new ContainerImage(image, Optional.of(root.resolve("deploy/image/containers.conf")));
        try (LabSession lab = LabSession.start(new LabSession.Options(2, "fximg-", Optional.empty()).withImage(containers),
                s -> { })) {
            // kept until the drill is known to have passed: CI can then show the speakers' logs
            lab.keepRunDir();
            Map<String, String> ips = lab.deployServices(1, Duration.ofSeconds(90), s -> { });
            assertEquals(1, ips.size(), "the controller in the image allocated no address: " + ips);
            assertTrue(lab.controller().orElseThrow().container().isPresent(), "the controller runs in a container");
            for (Host node : lab.topology().nodes()) {
                LabProcess speaker = lab.speaker(node.name());
                assertTrue(speaker.container().isPresent(), node.name() + ": the speaker runs in a container");
                List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(speaker.pid()), "status"));
                // root, with CAP_NET_ADMIN (bit 12) and CAP_NET_RAW (bit 13) only, as deploy/speaker.yaml grants
                assertTrue(status.stream().anyMatch(l -> l.matches("Uid:\\s+0\\s+0\\s+0\\s+0")), status.toString());
                assertTrue(status.contains("CapEff:\t0000000000003000"), node.name() + ": " + status);
            }
            Drill.Plan plan = new Drill.Plan(List.of(Fault.CRASH, Fault.DRAIN), 1, Duration.ofSeconds(8),
                    Duration.ofSeconds(40), Duration.ofSeconds(2));
            List<FaultRun> runs = new Drill(lab, plan, new ProgressLine(new PrintStream(System.err), false)).run();
            assertEquals(4, runs.size(), "crash, drain and their failbacks: " + runs);
            for (FaultRun r : runs) {
                assertTrue(r.restored(), r.fault() + ": not restored: " + r.services());
                assertEquals(List.of(), r.duplicateAnswers(), r.fault() + ": an IP answered by two MACs");
                assertEquals(0, r.connections().broken(), r.fault() + ": connections broken: " + r.connections());
                ServiceOutcome o = r.services().get(0);
                // the client reaches the IP only through the ARP answers of the speaker that owns it
                assertTrue(o.ownerBefore().isPresent() && o.ownerAfter().isPresent(), r.fault() + ": " + o);
                if (!r.fault().endsWith("/failback")) {
                    assertNotEquals(o.ownerBefore(), o.ownerAfter(), r.fault() + ": the IP did not move: " + o);
                }
            }
            lab.discardRunDirOnClose();
        }
    }

    @Test
    void controllerRunsAsNonRootOnReadOnlyRootAndAllocates(@TempDir Path dir) throws Exception {
        String name = "ferrite-image-test-controller";
        podman("rm", "--force", "--ignore", name);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            String url = server.start(InetAddress.getLoopbackAddress(), 0);
            Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), url, "default");
            Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                IPAddressPool pool = new IPAddressPool();
                pool.setMetadata(new ObjectMetaBuilder().withName("lab").withNamespace("ferrite-system").build());
                IPAddressPoolSpec spec = new IPAddressPoolSpec();
                spec.setAddresses(List.of("198.18.0.200-198.18.0.210"));
                pool.setSpec(spec);
                client.resources(IPAddressPool.class).inNamespace("ferrite-system").resource(pool).create();
                client.services().inNamespace("default").resource(new ServiceBuilder()
                        .withNewMetadata().withName("web").withNamespace("default").endMetadata()
                        .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec()
                        .build()).create();

                // as deploy/controller.yaml runs it: uid 65532, read-only root, no capabilities, /tmp an emptyDir
                podman("run", "--detach", "--name", name, "--network", "host",
                        "--user", "65532:65532", "--read-only", "--tmpfs", "/tmp:size=64m",
                        "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                        "--volume", kubeconfig + ":/etc/ferrite/kubeconfig:ro", image,
                        "controller", "--kubeconfig=/etc/ferrite/kubeconfig", "--leader-elect=false",
                        "--metrics-port=-1", "--namespace=ferrite-system");
                String ip = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (ip == null && System.nanoTime() < deadline) {
                    Service web = client.services().inNamespace("default").withName("web").get();
                    if (web.getStatus() != null && web.getStatus().getLoadBalancer() != null
                            && web.getStatus().getLoadBalancer().getIngress() != null
                            && !web.getStatus().getLoadBalancer().getIngress().isEmpty()) {
                        ip = web.getStatus().getLoadBalancer().getIngress().get(0).getIp();
                    } else {
                        Thread.sleep(250);
                    }
                }
                assertEquals("198.18.0.200", ip, "the controller in the image allocated nothing: "
                        + String.join("\n", podman("logs", name)));
                List<String> status = podman("exec", name, "grep", "-E", "^(Uid|CapEff):", "/proc/1/status");
                assertTrue(status.get(0).matches("Uid:\\s+65532\\s+65532\\s+65532\\s+65532"), status.toString());
                assertTrue(status.get(1).matches("CapEff:\\s+0+"), status.toString());
                List<String> write = new ArrayList<>();
                try {
                    podman("exec", name, "touch", "/opt/ferrite/x");
                } catch (AssertionError e) {
                    write.add(e.getMessage());
                }
                assertTrue(!write.isEmpty() && write.get(0).contains("Read-only file system"), "root filesystem writable: " + write);
            } finally {
                podman("rm", "--force", "--ignore", name);
            }
        }
    }
}
