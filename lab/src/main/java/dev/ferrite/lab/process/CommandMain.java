package dev.ferrite.lab.process;

import picocli.CommandLine;

/**
 * Runs one of Ferrite's own picocli commands as a main class, so the lab can start the real
 * {@code ferrite speaker} or {@code ferrite controller} in a namespace without the cli module
 * (which holds the {@code ferrite} command and depends on the lab). The first argument is
 * the command's class, the rest are its arguments:
 * {@code CommandMain dev.ferrite.speaker.SpeakerCommand --node node1 ...}.
 */
public final class CommandMain {
    private CommandMain() {
    }

    /** The argv prefix for {@link LabProcesses#startJava}: main class and command class. */
    public static String mainClass() {
        return CommandMain.class.getName();
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length == 0) {
            System.err.println("CommandMain: usage: CommandMain COMMAND_CLASS [ARGS...]");
            System.exit(2);
        }
        Object command = Class.forName(args[0]).getDeclaredConstructor().newInstance();
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        System.exit(new CommandLine(command).execute(rest));
    }
}
