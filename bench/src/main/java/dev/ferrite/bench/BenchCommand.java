package dev.ferrite.bench;

import dev.ferrite.api.migrate.ImportBenchCommand;
import dev.ferrite.controller.bench.AllocateBenchCommand;
import dev.ferrite.lab.reachable.ReachableBenchCommand;
import dev.ferrite.speaker.OwnershipBenchCommand;
import dev.ferrite.speaker.handoff.HandoffBenchCommand;
import dev.ferrite.speaker.membership.MembershipBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ferrite bench}: the benchmark commands, each printing its figures as JSON. They run
 * from their own jar, never from the one that ships to clusters; the {@code ferrite} script
 * sends {@code bench} here.
 */
@Command(
        name = "ferrite bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print JSON (see docs/benchmarks.md for how each figure is made).",
        subcommands = {
            AllocateBenchCommand.class,
            HandoffBenchCommand.class,
            ImportBenchCommand.class,
            MembershipBenchCommand.class,
            OwnershipBenchCommand.class,
            ReachableBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
