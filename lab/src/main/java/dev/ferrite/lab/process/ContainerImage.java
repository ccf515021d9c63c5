package dev.ferrite.lab.process;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image the lab runs controller and speakers from ({@code lab drill --image}), and the
 * podman that runs it. {@code containersConf}, when given, is podman's
 * {@code CONTAINERS_CONF} (deploy/image/containers.conf on kernels whose cgroup layout crun
 * refuses); otherwise podman reads its usual configuration.
 */
public record ContainerImage(String reference, Optional<Path> containersConf) {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerImage.class);
    static final Duration PODMAN_BOUND = Duration.ofSeconds(30);

    public ContainerImage {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("an image reference is required");
        }
    }

    /** {@code podman args...}, with {@code CONTAINERS_CONF} set when a configuration was given. */
    public List<String> podman(List<String> args) {
        List<String> argv = new ArrayList<>();
        containersConf.ifPresent(c -> argv.addAll(List.of("env", "CONTAINERS_CONF=" + c)));
        argv.add("podman");
        argv.addAll(args);
        return argv;
    }

    public CommandResult run(List<String> args) {
        return new Command(podman(args), PODMAN_BOUND).run();
    }

    /** Why this image cannot be run here (podman missing, image not present), if it cannot. */
    public Optional<String> problem() {
        CommandResult r = run(List.of("image", "exists", reference));
        if (r.succeeded()) {
            return Optional.empty();
        }
        if (r.exitCode() == 1) {
            return Optional.of("image " + reference + " is not in podman's store: build it with deploy/image/build"
                    + " or load it with podman load -i");
        }
        return Optional.of("cannot ask podman for image " + reference + ": " + r.describe());
    }

    /** A container of this image, by its name. */
    public record Container(ContainerImage image, String name) {

        /** The host PID of the container's main process, once it runs. */
        OptionalLong pid() {
            CommandResult r = image.run(List.of("inspect", "--type", "container", "--format", "{{.State.Pid}}", name));
            if (!r.succeeded()) {
                return OptionalLong.empty();
            }
            try {
                long pid = Long.parseLong(r.stdout().trim());
                return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        /** {@code podman rm --force --ignore}: harmless when {@code --rm} already removed it. */
        void remove() {
            CommandResult r = image.run(List.of("rm", "--force", "--ignore", "--time", "0", name));
            if (!r.succeeded()) {
                LOG.warn("cannot remove container {}: {}", name, r.describe());
            }
        }
    }
}
