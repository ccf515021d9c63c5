package dev.ferrite.controller.statusview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kubeconfig shape the lab writes for its embedded API server: plain http, a user with
 * no credentials, a context namespace. {@code ferrite status} must read through it as it does
 * through a real cluster's.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class StatusCommandLabKubeconfigTest {

    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void readsTheEmbeddedApiServerThroughThePlainHttpLabKubeconfig() throws Exception {
        client.services().inNamespace("default").resource(
                StatusFixtures.service("default", "web", Duration.ofMinutes(1), "lab", "198.18.0.200")).create();
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: ferrite-lab
                  cluster:
                    server: %s
                users:
                - name: ferrite-lab
                  user: {}
                contexts:
                - name: ferrite-lab
                  context:
                    cluster: ferrite-lab
                    user: ferrite-lab
                    namespace: ferrite-system
                current-context: ferrite-lab
                """.formatted(client.getConfiguration().getMasterUrl()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new StatusCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));

        int code = cmd.execute("--kubeconfig", kubeconfig.toString(), "-o", "json");

        assertEquals(0, code, err.toString());
        JsonNode web = JsonMapper.builder().build().readTree(out.toString()).get("services").get(0);
        assertEquals("web", web.get("name").asString());
        assertEquals("[\"198.18.0.200\"]", web.get("ips").toString());
    }
}
