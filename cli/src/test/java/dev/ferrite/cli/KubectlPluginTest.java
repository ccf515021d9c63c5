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
import java.util.ArrayList;
import java.util.List;
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
        Path root = Path.of("").toAbsolutePath().getParent();
        Path bin = pluginOnPath(root, dir);
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

    @Test
    void theInstallGuidesLabWalkThroughRunsAsWritten(@TempDir Path dir) throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path bin = pluginOnPath(root, dir);
        List<String> commands = labWalkThrough(Files.readString(root.resolve("docs/install.md")));
        assertTrue(commands.size() >= 5 && commands.stream().anyMatch(c -> c.startsWith("kubectl ferrite status")),
                "the walk-through block was not found: " + commands);
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            String url = server.start(InetAddress.getLoopbackAddress(), 0);
            Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), url, "default");
            String out = "";
            for (String c : commands) {
                out = runIn(root, dir, bin, kubeconfig, "bash", "-o", "pipefail", "-c", c);
            }
            assertTrue(out.contains("POOLS"), out);
            String secret = runIn(root, dir, bin, kubeconfig, "kubectl", "-n", "ferrite-system", "get", "secret",
                    "ferrite-membership", "-o", "jsonpath={.data.secret}");
            assertTrue(secret.length() >= 40, "the membership secret was not created: " + secret);
        }
    }

    /** A directory to put first on PATH, holding the checkout's kubectl-ferrite; skips without kubectl or the jar. */
    private static Path pluginOnPath(Path root, Path dir) throws Exception {
        String path = System.getenv("PATH");
        assumeTrue(path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl"))), "kubectl is not installed");
        assumeTrue(Files.isRegularFile(root.resolve("cli/target/ferrite.jar")), "cli/target/ferrite.jar not built");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("kubectl-ferrite"), root.resolve("kubectl-ferrite"));
        return bin;
    }

    /**
     * The commands of the sh block under "Trying it against the lab" that talk to the API server:
     * comments dropped, continuation lines joined, the lab's own start and stop and the
     * {@code export KUBECONFIG} left to the test.
     */
    static List<String> labWalkThrough(String guide) {
        int section = guide.indexOf("## Trying it against the lab");
        int start = guide.indexOf("```sh\n", section);
        int end = guide.indexOf("```", start + 6);
        if (section < 0 || start < 0 || end < 0) {
            return List.of();
        }
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : guide.substring(start + 6, end).split("\n")) {
            String code = line.replaceAll("\\s+#.*$", "").replaceAll("^#.*$", "").strip();
            if (code.endsWith("\\")) {
                current.append(code, 0, code.length() - 1).append(' ');
                continue;
            }
            current.append(code);
            String command = current.toString().strip();
            current.setLength(0);
            if (!command.isEmpty() && !command.startsWith("./ferrite lab") && !command.startsWith("export KUBECONFIG")) {
                commands.add(command);
            }
        }
        return commands;
    }

    private static String run(Path dir, Path bin, Path kubeconfig, String... cmd) throws Exception {
        return runIn(null, dir, bin, kubeconfig, cmd);
    }

    private static String runIn(Path cwd, Path dir, Path bin, Path kubeconfig, String... cmd) throws Exception {
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
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
