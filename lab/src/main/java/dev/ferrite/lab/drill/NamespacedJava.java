package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.IpCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java main class running in its own JVM inside a lab namespace ({@code ip netns exec}
 * execs, so the PID we hold is the JVM's). Output goes to a log file in the lab's run
 * directory; stdout lines can also be handed to a listener (the probe streams its results
 * that way). Signals go to that PID only.
 */
public final class NamespacedJava implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamespacedJava.class);

    private final String name;
    private final Process process;
    private final Thread stdoutReader;
    private final CountDownLatch readyLatch = new CountDownLatch(1);

    private NamespacedJava(String name, Process process, Path log, Predicate<String> ready, Consumer<String> lines) {
        this.name = name;
        this.process = process;
        this.stdoutReader = new Thread(() -> read(log, ready, lines), "stdout-" + name);
        this.stdoutReader.setDaemon(true);
    }

    /**
     * Starts {@code mainClass} with {@code args} in {@code namespace}. {@code ready} marks the
     * stdout line that says the process is serving; {@code lines} gets every stdout line.
     */
    public static NamespacedJava start(IpCommand ip, String namespace, String name, List<String> jvmOptions,
            String mainClass, List<String> args, Path log, Predicate<String> ready, Consumer<String> lines) throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmOptions);
        java.add("-cp");
        java.add(System.getProperty("java.class.path"));
        java.add(mainClass);
        java.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(ip.execArgv(namespace, java))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        NamespacedJava j = new NamespacedJava(name, p, log, ready, lines);
        j.stdoutReader.start();
        LOG.info("{} started in {} as pid {} (log {})", name, namespace, p.pid(), log);
        return j;
    }

    private void read(Path log, Predicate<String> ready, Consumer<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (ready.test(line)) {
                    readyLatch.countDown();
                }
                lines.accept(line);
            }
        } catch (IOException e) {
            // process gone
        }
    }

    /** Waits (bounded) for the ready line; false if it did not come or the process died. */
    public boolean awaitReady(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (readyLatch.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
        }
        return false;
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal (KILL, TERM, STOP, CONT) to this process only. */
    public void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + name + " (pid " + process.pid() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) for the process to exit; its exit code, or empty if it still runs. */
    public Optional<Integer> awaitExit(Duration bound) throws InterruptedException {
        if (process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(process.exitValue());
        }
        return Optional.empty();
    }

    /** Ends the process: CONT (in case it was stopped), TERM, then KILL after a bound. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            signal("CONT");
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
