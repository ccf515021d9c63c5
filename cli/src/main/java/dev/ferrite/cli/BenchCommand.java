package dev.ferrite.cli;

import dev.ferrite.controller.bench.AllocateBenchCommand;
import dev.ferrite.lab.reachable.ReachableBenchCommand;
import dev.ferrite.speaker.OwnershipBenchCommand;
import dev.ferrite.speaker.membership.MembershipBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Groups the benchmark commands; each prints its figures as JSON. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print JSON (see docs/benchmarks.md for how each figure is made).",
        subcommands = {
            AllocateBenchCommand.class,
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
}
