package dev.ferrite.lab.drill;

import dev.ferrite.lab.process.LabProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code lab drill --image} runs the controller and the speakers: with the security
 * settings of deploy/controller.yaml and deploy/speaker.yaml (the controller as uid 65532, the
 * speaker as root with only NET_RAW and NET_ADMIN, both on a read-only root filesystem with
 * {@code /tmp} writable and no new privileges), and the lab's files mounted read-only where
 * the manifests mount theirs. The JVM options are the lab's own, so a drill from the image and
 * one from the jar compare like for like.
 */
final class ManifestContainers {
    static final String KUBECONFIG = "/etc/ferrite/kubeconfig";
    static final String MEMBERSHIP_SECRET = "/etc/ferrite/membership/secret";

    private ManifestContainers() {
    }

    static List<String> controller(Path kubeconfig, List<String> jvmOptions) {
        List<String> run = common(jvmOptions);
        run.addAll(List.of("--user", "65532:65532", "--cap-drop", "ALL",
                "--volume", kubeconfig.toAbsolutePath() + ":" + KUBECONFIG + ":ro"));
        return run;
    }

    static List<String> speaker(Path kubeconfig, Path membershipSecret, List<String> jvmOptions) {
        List<String> run = common(jvmOptions);
        run.addAll(List.of("--user", "0:0", "--cap-drop", "ALL", "--cap-add", "NET_RAW,NET_ADMIN",
                "--volume", kubeconfig.toAbsolutePath() + ":" + KUBECONFIG + ":ro",
                "--volume", membershipSecret.toAbsolutePath() + ":" + MEMBERSHIP_SECRET + ":ro"));
        return run;
    }

    private static List<String> common(List<String> jvmOptions) {
        List<String> java = new ArrayList<>(jvmOptions);
        // as the manifests: JNA unpacks its stub under /tmp, the only writable place
        java.add("-Djna.tmpdir=/tmp/jna");
        java.addAll(LabProcesses.LOG_OPTIONS);
        List<String> run = new ArrayList<>(List.of("--read-only", "--tmpfs", "/tmp:size=64m", "--security-opt", "no-new-privileges",
                "--env", "JAVA_TOOL_OPTIONS=" + String.join(" ", java)));
        LabProcesses.SMALL_MALLOC.forEach((k, v) -> run.addAll(List.of("--env", k + "=" + v)));
        return run;
    }
}
