package dev.ferrite.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferrite.deploy.DeployTree.Manifest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The other tests read deploy/ with a small reader of their own; this one checks that real
 * kustomize ({@code kubectl kustomize}, when kubectl is installed) renders the same objects,
 * so that what is tested is what {@code kubectl apply -k deploy/} applies.
 */
class KustomizeRenderTest {

    private static boolean kubectlInstalled() {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
    }

    private static List<Manifest> kustomize(Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ferrite-kustomize", ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectErrorStream(false).redirectOutput(out.toFile()).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " did not finish within 60 s");
            }
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed: " + err);
            return DeployTree.documents(out).stream().map(d -> new Manifest(out, d)).toList();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Set<String> names(List<Manifest> manifests) {
        return manifests.stream().map(m -> m.kind() + " " + m.namespace() + "/" + m.name())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void kustomizeRendersTheObjectsTheTestsCheck() throws Exception {
        assumeTrue(kubectlInstalled(), "kubectl is not installed");
        for (Path dir : List.of(DeployTree.deploy(), DeployTree.deploy().resolve("examples"))) {
            List<Manifest> rendered = kustomize(dir);
            assertEquals(names(DeployTree.render(dir)), names(rendered), "kubectl kustomize " + dir);
        }
    }

    @Test
    void committedSingleFileInstallIsTheRenderedKustomization() throws Exception {
        assumeTrue(kubectlInstalled(), "kubectl is not installed");
        Path out = Files.createTempFile("ferrite-kustomize", ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", DeployTree.deploy().toString())
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "kubectl kustomize deploy/ failed");
            assertEquals(Files.readString(out), Files.readString(DeployTree.deploy().resolve("ferrite.yaml")),
                    "deploy/ferrite.yaml is not what deploy/ renders; regenerate it: kubectl kustomize deploy/ > deploy/ferrite.yaml");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void webhookComponentRendersOntoTheInstall() throws Exception {
        assumeTrue(kubectlInstalled(), "kubectl is not installed");
        // an overlay that enables the component, as docs/install.md describes
        Path overlay = Files.createTempDirectory("ferrite-webhook-overlay");
        try {
            Path base = DeployTree.deploy();
            Files.writeString(overlay.resolve("kustomization.yaml"), String.join("\n",
                    "apiVersion: kustomize.config.k8s.io/v1beta1",
                    "kind: Kustomization",
                    "resources:",
                    "  - " + overlay.relativize(base),
                    "components:",
                    "  - " + overlay.relativize(base.resolve("webhook")),
                    ""));
            List<Manifest> rendered = kustomize(overlay);
            Set<String> got = names(rendered);
            assertTrue(got.containsAll(names(DeployTree.install())), "the install is incomplete with the webhook: " + got);
            assertTrue(got.containsAll(names(DeployTree.render(base.resolve("webhook")))), "webhook objects missing: " + got);
            Manifest controller = DeployTree.get(rendered, "Deployment", "ferrite-controller");
            var container = controller.as(io.fabric8.kubernetes.api.model.apps.Deployment.class)
                    .getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> ports = container.getPorts().stream().map(p -> p.getName()).collect(Collectors.toSet());
            assertEquals(Set.of("metrics", "webhook"), ports, "the patch must add the webhook port and keep metrics");
        } finally {
            try (Stream<Path> files = Files.walk(overlay)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
            }
        }
    }
}
