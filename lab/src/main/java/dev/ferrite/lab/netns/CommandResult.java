package dev.ferrite.lab.netns;

/** What a {@link Command} did: exit code (-1 when it could not start or timed out) and its output. */
public record CommandResult(Command command, int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** One line for logs and errors, e.g. {@code ip netns add x: exit 1: Cannot create namespace file...}. */
    public String describe() {
        if (timedOut) {
            return command + ": no answer within " + command.timeout().toMillis() + " ms";
        }
        String why = stderr.isBlank() ? stdout.strip() : stderr.strip();
        return command + ": exit " + exitCode + (why.isEmpty() ? "" : ": " + why);
    }

    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }
}
