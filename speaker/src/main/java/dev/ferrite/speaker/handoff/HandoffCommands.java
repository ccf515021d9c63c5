package dev.ferrite.speaker.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nft} and {@code ip} in the speaker's network namespace (the node's, with host
 * networking). A prefix such as {@code ip netns exec NS} lets tests run them in a namespace of
 * their own.
 */
public final class HandoffCommands {

    private final List<String> prefix;

    /** The outcome of one command: exit code and what it printed. */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    public HandoffCommands(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    public static HandoffCommands local() {
        return new HandoffCommands(List.of());
    }

    /** Runs {@code nft -f -} with {@code script} on stdin. */
    public Result nft(String script) {
        return run(List.of("nft", "-f", "-"), script);
    }

    /** Runs {@code nft} with arguments. */
    public Result nftArgs(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("nft");
        cmd.addAll(args);
        return run(cmd, null);
    }

    /** Runs {@code ip} with arguments. */
    public Result ip(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(args);
        return run(cmd, null);
    }

    /**
     * Runs {@code ip -4 -force -batch -} (or {@code -6}) with one command per line, so a burst
     * of moves costs one process, not one per IP. Every line starts with the same family flag
     * ({@code -4} or {@code -6}), which becomes the batch's; {@code -force} goes on past failed
     * lines, which it reports as "Command failed -:LINE".
     */
    public Result ipBatch(List<List<String>> lines) {
        String family = lines.isEmpty() ? "-4" : lines.get(0).get(0);
        StringBuilder in = new StringBuilder();
        for (List<String> l : lines) {
            if (l.isEmpty() || !l.get(0).equals(family) || !(family.equals("-4") || family.equals("-6"))) {
                throw new IllegalArgumentException("every line of one ip batch starts with the same -4 or -6: " + lines);
            }
            in.append(String.join(" ", l.subList(1, l.size()))).append('\n');
        }
        return run(List.of("ip", family, "-force", "-batch", "-"), in.toString());
    }

    /** Runs any command (with the prefix). */
    public Result run(List<String> command) {
        return run(command, null);
    }

    private Result run(List<String> command, String stdin) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out;
            try (InputStream o = p.getInputStream()) {
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish in 10 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted running " + command.get(0));
        }
    }
}
