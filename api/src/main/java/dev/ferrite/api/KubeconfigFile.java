package dev.ferrite.api;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client configuration a {@code --kubeconfig} option names. Without a file, fabric8's
 * usual search applies: $KUBECONFIG, ~/.kube/config, then the in-cluster service account.
 * With a file, its own path is passed along so relative certificate paths in it resolve
 * next to the file, as kubectl resolves them.
 */
public final class KubeconfigFile {

    private KubeconfigFile() {
    }

    public static Config read(Path kubeconfig) throws IOException {
        if (kubeconfig == null) {
            return Config.autoConfigure(null);
        }
        return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toAbsolutePath().toString());
    }
}
