package dev.ferrite.speaker.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The speaker's access to a test's mock API server, the one {@code client} talks to: through
 * a kubeconfig naming it, as a speaker outside a pod is given one (the mock's HTTPS certificate
 * is its own, so the kubeconfig skips its verification).
 */
public final class MockApi {

    private MockApi() {
    }

    public static KubeApi of(KubernetesClient client) {
        try {
            Path file = Files.createTempFile("mock-kubeconfig", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: %s
                        insecure-skip-tls-verify: true
                    users:
                    - name: mock
                      user: {}
                    contexts:
                    - name: mock
                      context: {cluster: mock, user: mock}
                    current-context: mock
                    """.formatted(client.getConfiguration().getMasterUrl()));
            return new KubeApi(ApiAccess.kubeconfig(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
