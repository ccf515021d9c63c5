package dev.ferrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferrite.lab.apiserver.EmbeddedApiServer;
import dev.ferrite.lab.apiserver.Kubeconfig;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl ferrite status} through the real kubectl and the plugin script of the
 * checkout (found on PATH as kubectl-ferrite), against the lab's API server after
 * {@code kubectl apply} of the install and the example pool. Runs after packaging: the
 * plugin starts cli/target/ferrite.jar.
 */
@Tag("packaged")
class KubectlPluginTest {

    @Test
    void statusThroughThePluginListsTheExamplePool(@TempDir Path dir) throws Exception {
        String path = System.getenv("PATH");
        assumeTrue(path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl"))), "kubectl is not installed");
        Path root = Path.of("").toAbsolutePath().getParent();
        assumeTrue(Files.isRegularFile(root.resolve("cli/target/ferrite.jar")), "cli/target/ferrite.jar not built");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("kubectl-ferrite"), root.resolve("kubectl-ferrite"));
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            String url = server.start(InetAddress.getLoopbackAddress(), 0);
            Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), url, "default");
            run(dir, bin, kubeconfig, "kubectl", "apply", "-f", root.resolve("deploy/ferrite.yaml").toString());
            run(dir, bin, kubeconfig, "kubectl", "apply", "-k", root.resolve("deploy/examples").toString());
            String status = run(dir, bin, kubeconfig, "kubectl", "ferrite", "status");
            // no controller runs here, so the pool has no counts yet, but it is read and valid
            assertTrue(status.contains("POOLS") && status.lines().anyMatch(l -> l.matches("default\\s+.*\\sTrue\\s.*")), status);
        }
    }

    private static String run(Path dir, Path bin, Path kubeconfig, String... cmd) throws Exception {
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
        return text;
    }
}
