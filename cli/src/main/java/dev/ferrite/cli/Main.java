package dev.ferrite.cli;

import dev.ferrite.api.migrate.ImportMetallbCommand;
import dev.ferrite.controller.ControllerCommand;
import dev.ferrite.controller.statusview.StatusCommand;
import dev.ferrite.speaker.SpeakerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ferrite} command that ships to clusters. Each component brings its own subcommand
 * class; this class only assembles them so that one jar runs everything on a node. The lab
 * ({@code ferrite lab}) and the benchmarks ({@code ferrite bench}) run from jars of their own.
 */
@Command(
        name = "ferrite",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Bare-metal LoadBalancer for Kubernetes: external IPs for type LoadBalancer Services "
                + "from operator-owned pools, answered over ARP/NDP by one elected node.",
        subcommands = {
            VersionCommand.class,
            ControllerCommand.class,
            SpeakerCommand.class,
            StatusCommand.class,
            ImportMetallbCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
