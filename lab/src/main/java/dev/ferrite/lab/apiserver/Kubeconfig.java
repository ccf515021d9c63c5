package dev.ferrite.lab.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the kubeconfig the lab's controller, speakers and operator use to reach the
 * embedded API server. Plain http, and a token the server does not check: it listens only
 * inside the lab's namespaces, where nothing else can reach it. The token is there for the
 * clients: fabric8's client reads and parses its kubeconfig again to look for a fresh token
 * once a minute when it finds one, but before every request once the first minute has passed
 * when it finds none, which cost each lab process more CPU than the request.
 */
public final class Kubeconfig {
    public static final String CONTEXT = "ferrite-lab";
    /** Sent by every client, checked by nobody. */
    static final String TOKEN = "ferrite-lab-unchecked";

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
                  user:
                    token: %4$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: %3$s
                current-context: %1$s
                """.formatted(CONTEXT, serverUrl, namespace, TOKEN);
    }

    public static Path write(Path file, String serverUrl, String namespace) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text(serverUrl, namespace));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
