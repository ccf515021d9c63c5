package dev.ferrite.lab.netns;

/** A command the lab needs failed; the message names the command, its exit code and its stderr. */
public final class CommandFailedException extends RuntimeException {

    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
