package dev.ferrite.lab.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the kubeconfig the lab's controller, speakers and operator use to reach the
 * embedded API server. Plain http and no credentials: the server listens only inside the
 * lab's namespaces, where nothing else can reach it.
 */
public final class Kubeconfig {
    public static final String CONTEXT = "ferrite-lab";

    private Kubeconfig() {
    }

    public static String text(String serverUrl, String namespace) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                users:
                - name: %1$s
                  user: {}
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: %3$s
                current-context: %1$s
                """.formatted(CONTEXT, serverUrl, namespace);
    }

    public static Path write(Path file, String serverUrl, String namespace) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text(serverUrl, namespace));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
