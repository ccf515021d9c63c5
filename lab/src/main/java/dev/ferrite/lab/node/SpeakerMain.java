package dev.ferrite.lab.node;

import dev.ferrite.speaker.SpeakerCommand;
import picocli.CommandLine;

/**
 * The real {@code ferrite speaker} command as a main class, so the lab can run one in each
 * node's namespace (the cli module, which holds {@code ferrite}, depends on the lab).
 */
public final class SpeakerMain {
    private SpeakerMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SpeakerCommand()).execute(args));
    }
}
