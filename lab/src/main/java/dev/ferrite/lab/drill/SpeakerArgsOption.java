package dev.ferrite.lab.drill;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --speaker-args}: speaker flags added to every lab speaker's command line, for
 * {@code lab up}, {@code lab drill} and {@code bench reachable} alike.
 */
public final class SpeakerArgsOption {

    @Option(names = "--speaker-args", split = " ", paramLabel = "ARGS",
            description = "Speaker flags, space separated, added to every speaker's command line to compare settings,"
                    + " e.g. --speaker-args=--membership-probe-interval=200ms (default: none).")
    List<String> args = List.of();

    public List<String> args() {
        return args;
    }

    /** Why the flags are refused, as the command line says it; empty when they are not. */
    public Optional<String> problem() {
        return LabSession.Options.speakerArgsProblem(args).map(p -> "--speaker-args: " + p);
    }
}
