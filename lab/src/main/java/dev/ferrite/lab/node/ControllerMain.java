package dev.ferrite.lab.node;

import dev.ferrite.controller.ControllerCommand;
import picocli.CommandLine;

/**
 * The real {@code ferrite controller} command as a main class, so the lab can run it in the
 * control-plane namespace (the cli module, which holds {@code ferrite}, depends on the lab).
 */
public final class ControllerMain {
    private ControllerMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ControllerCommand()).execute(args));
    }
}
