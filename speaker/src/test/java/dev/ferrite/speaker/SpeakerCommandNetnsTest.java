package dev.ferrite.speaker;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.status.StatusName;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real {@code speaker} command as a separate process: API from a CRUD mock server,
 * production membership, pcap announcer. It announces on one end of a veth pair (no address
 * on it); the other end sits in a namespace this test creates, whose kernel asks for the VIP.
 * The kernel's neighbour table is the judge. Then SIGTERM: the process exits and removes its
 * ServiceL2Status.
 */
@Tag("netns")
class SpeakerCommandNetnsTest {

    private static final String VIP = "198.18.202.50";
    private static final Duration WAIT = Duration.ofSeconds(40);

    private static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            return false;
        }
    }

    private static String sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static void quietly(String... command) {
        try {
            sh(command);
        } catch (IOException | InterruptedException e) {
            // cleanup of something that may not exist
        }
    }


    @Test
    void theSpeakerProcessAnswersArpForItsVipAndCleansUpOnSigterm() throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root: creates network namespaces");
        String sfx = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()).substring(0, 4);
        String ns = "fxsg" + sfx;
        String rootEnd = "fxsg" + sfx + "r";
        String clientEnd = "fxsg" + sfx + "c";
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        Process speaker = null;
        Thread cleanup = new Thread(() -> {
            quietly("ip", "netns", "del", ns);
            quietly("ip", "link", "del", rootEnd);
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            sh("ip", "netns", "add", ns);
            sh("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", clientEnd, "netns", ns);
            sh("ip", "link", "set", rootEnd, "up");
            sh("ip", "-n", ns, "link", "set", "lo", "up");
            sh("ip", "-n", ns, "addr", "add", "198.18.202.2/24", "dev", clientEnd);
            sh("ip", "-n", ns, "link", "set", clientEnd, "up");
            String speakerMac = Files.readString(Path.of("/sys/class/net", rootEnd, "address")).trim();

            server.init(InetAddress.getLoopbackAddress(), 0);
            KubernetesClient client = server.createClient();
            OneServiceCluster.create(client, "fx-node", "198.18.202.48/29", VIP);

            Path logs = Files.createDirectories(Path.of("target", "netns-logs"));
            Path kubeconfig = logs.resolve("kubeconfig-" + ns);
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\n"
                    + "clusters:\n- name: mock\n  cluster:\n    server: http://127.0.0.1:" + server.getPort() + "\n"
                    + "users:\n- name: u\n  user:\n    token: none\n"
                    + "contexts:\n- name: mock\n  context:\n    cluster: mock\n    user: u\n"
                    + "current-context: mock\n");
            int port;
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
            speaker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SpeakerCommand.class.getName(),
                    "--node", "fx-node", "--kubeconfig", kubeconfig.toString(), "--insecure-membership",
                    "--membership-bind", "127.0.0.1:" + port, "--interfaces", rootEnd, "--metrics-port", "0",
                    "--handover-timeout", "1s")
                    .redirectErrorStream(true).redirectOutput(logs.resolve("speaker-" + ns + ".log").toFile()).start();

            String status = StatusName.of(new ServiceKey("default", "web"), "fx-node");
            await("ServiceL2Status " + status + " written", WAIT, () ->
                    client.resources(ServiceL2Status.class).inNamespace("ferrite-system").withName(status).get() != null);

            await("the client's kernel resolves " + VIP + " to the speaker's MAC " + speakerMac, WAIT, () -> {
                quietly("ip", "-n", ns, "neigh", "flush", "dev", clientEnd);
                quietly("ip", "netns", "exec", ns, "ping", "-c1", "-W1", VIP);
                try {
                    return sh("ip", "-n", ns, "neigh", "show", VIP, "dev", clientEnd).contains("lladdr " + speakerMac);
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });

            speaker.destroy(); // SIGTERM
            assertTrue(speaker.waitFor(20, TimeUnit.SECONDS), "speaker exits after SIGTERM");
            assertEquals(null, client.resources(ServiceL2Status.class).inNamespace("ferrite-system").withName(status).get(),
                    "ServiceL2Status removed on shutdown");
        } finally {
            if (speaker != null && speaker.isAlive()) {
                speaker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            server.destroy();
            cleanup.run();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }
}
