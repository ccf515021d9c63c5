package dev.ferrite.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigFileTest {

    @TempDir
    Path dir;

    @Test
    void aRelativeCertificatePathResolvesNextToTheKubeconfigFile() throws Exception {
        Path file = dir.resolve("lab.kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: lab
                  cluster:
                    server: https://198.18.0.1:6443
                    certificate-authority: ca.crt
                contexts:
                - name: lab
                  context:
                    cluster: lab
                    user: lab
                current-context: lab
                users:
                - name: lab
                  user:
                    token: lab-token
                """);

        Config config = KubeconfigFile.read(file);

        assertEquals("https://198.18.0.1:6443/", config.getMasterUrl());
        assertEquals(dir.resolve("ca.crt").toAbsolutePath().toString(), config.getCaCertFile());
    }
}
