package dev.ferrite.lab.process;

import dev.ferrite.lab.netns.Command;
import dev.ferrite.lab.netns.CommandResult;
import dev.ferrite.lab.netns.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by {@link LabProcesses} inside a host's namespace. Its stdout and stderr
 * go to {@link #log()}. {@link #pid()} is the PID of the program itself: {@code ip netns
 * exec} execs the command rather than forking it, so the PID of the started {@code ip} is
 * the program's PID once the exec has happened ({@link LabProcesses} waits for that). A
 * program run from a container image ({@link LabProcesses#startContainer}) is the attached
 * {@code podman run}, which lives as long as the container; {@link #pid()} is then the
 * container's main process as this host sees it, so signals reach the program itself.
 */
public final class LabProcess {

    private static final Logger LOG = LoggerFactory.getLogger(LabProcess.class);
    private static final long POLL_MILLIS = 10;

    private final String name;
    private final Host host;
    private final Process process;
    private final long pid;
    private final Optional<ContainerImage.Container> container;
    private final Path log;
    private final List<String> command;

    LabProcess(String name, Host host, Process process, Path log, List<String> command) {
        this(name, host, process, process.pid(), Optional.empty(), log, command);
    }

    LabProcess(String name, Host host, Process process, long pid, Optional<ContainerImage.Container> container,
               Path log, List<String> command) {
        this.name = name;
        this.host = host;
        this.process = process;
        this.pid = pid;
        this.container = container;
        this.log = log;
        this.command = List.copyOf(command);
    }

    public String name() {
        return name;
    }

    public Host host() {
        return host;
    }

    public long pid() {
        return pid;
    }

    /** The container it runs in, when started from an image. */
    public Optional<ContainerImage.Container> container() {
        return container;
    }

    public Path log() {
        return log;
    }

    /** The full argv, starting with {@code ip netns exec NS} (or {@code podman run}). */
    public List<String> command() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends a signal by PID. A process that has already exited is left alone (its PID may
     * belong to someone else by now); returns whether the signal was sent.
     */
    public boolean signal(Signal signal) {
        if (!process.isAlive()) {
            return false;
        }
        // the shell's builtin kill: present on every system, unlike a kill binary
        CommandResult r = Command.of("/bin/sh", "-c", "kill -s " + signal.name() + " " + pid()).run();
        if (!r.succeeded() && process.isAlive()) {
            throw new IllegalStateException("cannot send SIG" + signal + " to " + this + ": " + r.describe());
        }
        LOG.info("sent SIG{} to {}", signal, this);
        return r.succeeded();
    }

    /** SIGKILL: the crash fault. */
    public boolean kill() {
        return signal(Signal.KILL);
    }

    /** SIGTERM: the drain fault. */
    public boolean terminate() {
        return signal(Signal.TERM);
    }

    public boolean pause() {
        return signal(Signal.STOP);
    }

    public boolean resume() {
        return signal(Signal.CONT);
    }

    /** The exit code, if the process exits within {@code bound}. */
    public Optional<Integer> waitFor(Duration bound) {
        try {
            if (process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Every line written to the log so far. */
    public List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read log of " + this, e);
        }
    }

    /**
     * Waits (polling the log every 10 ms, at most {@code bound}) for a line matching
     * {@code wanted}; empty if none came in time or the process exited without writing one.
     */
    public Optional<String> awaitLine(Predicate<String> wanted, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            Optional<String> hit = lines().stream().filter(wanted).findFirst();
            if (hit.isPresent() || !alive || System.nanoTime() > deadline) {
                return hit;
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Waits until {@code count} lines match, at most {@code bound}; returns how many matched. */
    public long awaitLines(Predicate<String> wanted, long count, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            long n = lines().stream().filter(wanted).count();
            if (n >= count || !alive || System.nanoTime() > deadline) {
                return n;
            }
            sleep(POLL_MILLIS);
        }
    }

    /** The executable the PID runs now, from {@code /proc/PID/exe}. */
    public Optional<Path> executable() {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid()), "exe")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        if (isStopped()) {
            // a stopped process cannot act on SIGTERM until it runs again
            signal(Signal.CONT);
        }
        signal(Signal.TERM);
        if (waitFor(grace).isEmpty()) {
            LOG.warn("{} ignored SIGTERM for {} ms, killing it", this, grace.toMillis());
            signal(Signal.KILL);
            waitFor(grace);
        }
        // podman run --rm removes its container; one left behind (podman itself stuck) goes here
        container.ifPresent(ContainerImage.Container::remove);
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** Whether the kernel reports the process stopped (state T in {@code /proc/PID/stat}), e.g. after SIGSTOP. */
    public boolean isStopped() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + " on " + host.name() + ")";
    }
}
