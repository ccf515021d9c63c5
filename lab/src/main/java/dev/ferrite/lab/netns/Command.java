package dev.ferrite.lab.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One external command (argv, never a shell line) run to completion within a bound. Both
 * output streams are drained on their own threads so a chatty command cannot block on a
 * full pipe; a command that outlives its bound is killed and reported as timed out.
 */
public record Command(List<String> argv, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), DEFAULT_TIMEOUT);
    }

    public Command withTimeout(Duration bound) {
        return new Command(argv, bound);
    }

    /** Runs the command; I/O failures to start it and timeouts are results, not exceptions. */
    public CommandResult run() {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new CommandResult(this, -1, "", "cannot start: " + e.getMessage(), false);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(1, TimeUnit.SECONDS);
                return new CommandResult(this, -1, collect(out), collect(err), true);
            }
            return new CommandResult(this, process.exitValue(), collect(out), collect(err), false);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CommandResult(this, -1, "", "interrupted", false);
        }
    }

    /** Runs the command and returns its standard output, or throws naming the command and its stderr. */
    public String runOrThrow() {
        return run().orThrow().stdout();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String collect(CompletableFuture<String> f) {
        try {
            return f.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
