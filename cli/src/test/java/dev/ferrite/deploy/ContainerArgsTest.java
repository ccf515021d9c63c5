package dev.ferrite.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferrite.cli.Main;
import dev.ferrite.controller.ControllerCommand;
import dev.ferrite.controller.ControllerOptions;
import dev.ferrite.deploy.DeployTree.Manifest;
import dev.ferrite.speaker.SpeakerCommand;
import dev.ferrite.speaker.SpeakerOptions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The args in the manifests against the real {@code ferrite} command line: a flag the
 * command does not know, or a value it cannot convert, makes the pod crash-loop on every
 * node, so it must fail here first. The image's entrypoint is {@code java -jar ferrite.jar},
 * so a container's args start with the subcommand.
 */
class ContainerArgsTest {

    private final List<Manifest> install = DeployTree.install();

    private Container controller() {
        PodSpec pod = DeployTree.get(install, "Deployment", "ferrite-controller").as(Deployment.class).getSpec().getTemplate().getSpec();
        return pod.getContainers().get(0);
    }

    private Container speaker() {
        PodSpec pod = DeployTree.get(install, "DaemonSet", "ferrite-speaker").as(DaemonSet.class).getSpec().getTemplate().getSpec();
        return pod.getContainers().get(0);
    }

    /**
     * Parses with {@code ferrite}'s own command line when it has the subcommand; until the
     * subcommand is wired into Main, with the component's command class, which is what Main
     * will register.
     */
    private static ParseResult parse(List<String> args, Map<String, Supplier<Object>> components) {
        CommandLine main = new CommandLine(new Main());
        String sub = args.get(0);
        if (main.getSubcommands().containsKey(sub)) {
            return main.parseArgs(args.toArray(String[]::new)).subcommand();
        }
        Supplier<Object> component = components.get(sub);
        if (component == null) {
            fail("'" + sub + "' is neither a ferrite subcommand nor a known component command");
        }
        CommandLine cmd = new CommandLine(component.get());
        assertEquals(sub, cmd.getCommandName(), "the component command's name");
        return cmd.parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    }

    private static final Map<String, Supplier<Object>> COMPONENTS = Map.of(
            "controller", ControllerCommand::new,
            "speaker", SpeakerCommand::new);

    private static ParseResult parseOrFail(Container c) {
        try {
            return parse(c.getArgs(), COMPONENTS);
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("container " + c.getName() + " args " + c.getArgs() + " do not parse: " + e.getMessage(), e);
        }
    }

    @Test
    void controllerArgsParseWithTheControllerCommand() {
        Container c = controller();
        assertEquals("controller", c.getArgs().get(0));
        ParseResult r = parseOrFail(c);
        assertEquals(Boolean.TRUE, r.matchedOptionValue("--leader-elect", Boolean.FALSE), "leader election must be on");
        assertEquals("ferrite-system", r.matchedOptionValue("--namespace", "ferrite-system"));
        int metrics = r.matchedOptionValue("--metrics-port", ControllerOptions.DEFAULT_METRICS_PORT);
        assertEquals(Set.of(metrics), ports(c, "metrics"), "--metrics-port and the declared metrics port differ");
    }

    @Test
    void speakerArgsParseWithTheSpeakerCommand() {
        Container c = speaker();
        assertEquals("speaker", c.getArgs().get(0));
        ParseResult r = parseOrFail(c);
        assertTrue(r.hasMatchedOption("--membership-secret-file"), "the speaker must read the membership secret from a file");
        assertTrue(!r.hasMatchedOption("--insecure-membership"), "the shipped speaker must not run an insecure membership");
        int metrics = r.matchedOptionValue("--metrics-port", SpeakerOptions.DEFAULT_METRICS_PORT);
        assertEquals(Set.of(metrics), ports(c, "metrics"), "--metrics-port and the declared metrics port differ");
        java.net.InetSocketAddress bind = r.matchedOptionValue("--membership-bind",
                new java.net.InetSocketAddress(SpeakerOptions.DEFAULT_MEMBERSHIP_PORT));
        assertEquals(Set.of(bind.getPort()), ports(c, "membership"), "--membership-bind and the declared membership port differ");
        assertEquals("UDP", c.getPorts().stream().filter(p -> p.getName().equals("membership")).findFirst().orElseThrow()
                .getProtocol(), "the membership speaks UDP");
        assertEquals(Set.of(bind.getPort()), ports(c, "membership-tcp"),
                "the membership's liveness connections use the membership port over TCP");
        assertEquals("TCP", c.getPorts().stream().filter(p -> p.getName().equals("membership-tcp")).findFirst().orElseThrow()
                .getProtocol());
    }

    @Test
    void everyVariableInTheArgsIsAnEnvOfTheContainer() {
        Pattern ref = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (Container c : List.of(controller(), speaker())) {
            Set<String> env = c.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
            for (String a : c.getArgs()) {
                Matcher m = ref.matcher(a);
                while (m.find()) {
                    assertTrue(env.contains(m.group(1)), c.getName() + " arg " + a + " refers to $(" + m.group(1)
                            + ") but the container only sets " + env + "; Kubernetes would pass it literally");
                }
            }
        }
    }

    private static Set<Integer> ports(Container c, String name) {
        return c.getPorts().stream().filter(p -> p.getName().equals(name)).map(ContainerPort::getContainerPort)
                .collect(Collectors.toSet());
    }
}
