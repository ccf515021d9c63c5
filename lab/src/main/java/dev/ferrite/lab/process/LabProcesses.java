package dev.ferrite.lab.process;

import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts programs inside lab hosts' namespaces ({@code ip netns exec NS ...}) and stops
 * every one of them on {@link #close()}. Registered with the {@link LabNetwork} so the
 * network's own close (and its shutdown hook) stops the processes before the namespaces
 * go. Java programs run with this JVM's {@code java} and classpath, so whatever the lab
 * was started from (the test classpath, the shaded jar) is what runs in the namespaces.
 */
public final class LabProcesses implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabProcesses.class);

    /** Small, quick-starting JVMs: these are single-purpose processes on a shared machine. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx128m", "-XX:-UsePerfData");
    /** Every log line of a lab process carries its wall-clock time, so logs of different nodes line up. */
    public static final List<String> LOG_OPTIONS = List.of(
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    /**
     * For the lab's client, probing thousands of times a second for the whole run: C2 allowed,
     * a little more heap.
     */
    public static final List<String> HOT_PATH_JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-Xss512k", "-Xmx192m", "-XX:-UsePerfData");
    /**
     * The lab's API server: C1 only, like the other lab processes (a lab lives minutes, and
     * during a burst of creates C2's compiling competed with every lab process for the
     * machine's cores), and heap for the objects and Events of 1,000 Services.
     */
    public static final List<String> API_SERVER_JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx256m", "-XX:-UsePerfData");
    /**
     * The speaker's JVM options, as the manifests set them (deploy/speaker.yaml; a test keeps
     * the two the same), sized from {@code ferrite bench reachable} (docs/benchmarks.md): the
     * serial collector with a heap that starts at 48 MB, a quarter of it young, so that
     * listing 1,000 Services takes no full collection, and may shrink to 8 MB; C1 only (no C2
     * compiler arenas, half the code cache), small thread stacks.
     */
    public static final List<String> SPEAKER_JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:InitialHeapSize=48m",
            "-XX:MinHeapSize=8m", "-XX:NewRatio=3", "-Xmx96m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=96m", "-XX:-UsePerfData");
    /**
     * glibc's malloc keeps at most two arenas in every lab process (as the manifests set it):
     * by default each of a JVM's threads may get one of up to 8 per core, 64 MB reserved and
     * partly resident each.
     */
    public static final Map<String, String> SMALL_MALLOC = Map.of("MALLOC_ARENA_MAX", "2");
    /**
     * The lab's nodes share the machine's two cores, which a cluster's nodes do not: a speaker
     * starting on node2 (a JVM compiling and listing the API for a second or two) took the CPU
     * from node1's and node3's pods too, and probes to addresses that had not moved waited
     * 100 ms for their answers. The pods' servers and the client's probes therefore run at a
     * higher priority than the lab's control-plane processes (speakers, controller, API
     * server, kube-proxy stand-ins), as each node's workloads would have their node's CPU.
     */
    public static final List<String> DATA_PATH_PRIORITY = List.of("nice", "-n", "-5");
    public static final Duration STOP_GRACE = Duration.ofSeconds(3);
    private static final Duration EXEC_BOUND = Duration.ofSeconds(5);
    /** Until a started container's main process runs: podman and runc take a second or two, more on a loaded machine. */
    private static final Duration CONTAINER_BOUND = Duration.ofSeconds(60);
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final LabNetwork network;
    private final Path logDir;
    private final List<LabProcess> started = new ArrayList<>();
    private boolean closed;

    public LabProcesses(LabNetwork network, Path logDir) {
        this.network = network;
        this.logDir = logDir;
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create log directory " + logDir, e);
        }
        network.closeFirst(this);
    }

    public Path logDir() {
        return logDir;
    }

    /** {@code java} of this JVM with the current classpath running {@code mainClass args...}. */
    public LabProcess startJava(Host host, String name, String mainClass, List<String> args) {
        return startJava(host, name, DEFAULT_JVM_OPTIONS, mainClass, args);
    }

    public LabProcess startJava(Host host, String name, List<String> jvmOptions, String mainClass, List<String> args) {
        return startJava(host, name, List.of(), jvmOptions, mainClass, args);
    }

    /**
     * Like {@link #startJava(Host, String, List, String, List)}, at {@link #DATA_PATH_PRIORITY}:
     * for the programs that stand for the cluster's workloads and the LAN's clients (the pods'
     * servers, the client's probes).
     */
    public LabProcess startDataPathJava(Host host, String name, List<String> jvmOptions, String mainClass, List<String> args) {
        return startJava(host, name, DATA_PATH_PRIORITY, jvmOptions, mainClass, args);
    }

    private LabProcess startJava(Host host, String name, List<String> prefix, List<String> jvmOptions, String mainClass,
                                 List<String> args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.add(javaBinary().toString());
        argv.addAll(jvmOptions);
        argv.addAll(LOG_OPTIONS);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(mainClass);
        argv.addAll(args);
        return start(host, name, argv);
    }

    /**
     * Starts {@code argv} in the host's namespace with output to {@code <logDir>/<name>.log}
     * ({@code name-2.log} and so on when restarted) and returns once {@code ip} has exec'd
     * into the program, so {@link LabProcess#pid()} is the program's PID.
     */
    public synchronized LabProcess start(Host host, String name, List<String> argv) {
        if (closed) {
            throw new IllegalStateException("lab processes are closed; cannot start " + name);
        }
        List<String> full = network.ip().execArgv(host.namespace(), argv);
        Path log = freshLog(name);
        Process process = launch(full, log, "cannot start " + name + " on " + host.name());
        LabProcess p = new LabProcess(name, host, process, log, full);
        started.add(p);
        awaitExec(p, Path.of(network.ip().path()));
        LOG.info("started {} in namespace {}, output in {}", p, host.namespace(), log);
        return p;
    }

    /**
     * Runs {@code image} in the host's namespace ({@code podman run --rm --network
     * ns:/run/netns/NS runOptions... image args...}), attached, with output to
     * {@code <logDir>/<name>.log}; returns once the container's main process runs, so
     * {@link LabProcess#pid()} is that process. Each start is a container of its own, named
     * after the lab and the log file, so a restart never waits for the old one's removal.
     */
    public synchronized LabProcess startContainer(Host host, String name, ContainerImage image,
                                                  List<String> runOptions, List<String> args) {
        if (closed) {
            throw new IllegalStateException("lab processes are closed; cannot start " + name);
        }
        Path log = freshLog(name);
        String file = log.getFileName().toString();
        ContainerImage.Container container = new ContainerImage.Container(image,
                network.topology().labName() + "-" + file.substring(0, file.length() - ".log".length()));
        List<String> run = new ArrayList<>(List.of("run", "--rm", "--replace", "--name", container.name(),
                "--network", "ns:" + NETNS_DIR.resolve(host.namespace())));
        run.addAll(runOptions);
        run.add(image.reference());
        run.addAll(args);
        List<String> full = image.podman(run);
        Process process = launch(full, log, "cannot start " + name + " on " + host.name() + " (is podman installed?)");
        long pid = awaitContainer(container, process);
        if (pid < 0) {
            process.destroyForcibly();
            container.remove();
            throw new IllegalStateException("container " + container.name() + " (" + name + ") did not start within "
                    + CONTAINER_BOUND.toSeconds() + " s; see " + log);
        }
        LabProcess p = new LabProcess(name, host, process, pid, Optional.of(container), log, full);
        started.add(p);
        LOG.info("started {} from {} in namespace {}, output in {}", p, image.reference(), host.namespace(), log);
        return p;
    }

    /** {@code argv} with stdin from /dev/null and stdout and stderr into {@code log}. */
    private static Process launch(List<String> argv, Path log, String failure) {
        try {
            ProcessBuilder b = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            b.environment().putAll(SMALL_MALLOC);
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(failure, e);
        }
    }

    /** The container's host PID once it runs; -1 when podman exits first or the bound passes. */
    private static long awaitContainer(ContainerImage.Container container, Process podman) {
        long deadline = System.nanoTime() + CONTAINER_BOUND.toNanos();
        while (podman.isAlive() && System.nanoTime() < deadline) {
            OptionalLong pid = container.pid();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    public synchronized List<LabProcess> started() {
        return List.copyOf(started);
    }

    /** SIGCONT + SIGTERM to everything still running, then SIGKILL after {@link #STOP_GRACE}. Idempotent. */
    @Override
    public void close() {
        List<LabProcess> toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = new ArrayList<>(started);
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            toStop.get(i).stop(STOP_GRACE);
        }
    }

    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Until the exec, /proc/PID/exe is the ip binary; bounded, and harmless if the program exits at once. */
    private static void awaitExec(LabProcess p, Path ip) {
        Path ipReal = realPath(ip).orElse(ip);
        long deadline = System.nanoTime() + EXEC_BOUND.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            Optional<Path> exe = p.executable();
            if (exe.isPresent() && !exe.get().equals(ipReal)) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Optional<Path> realPath(Path p) {
        try {
            return Optional.of(p.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path freshLog(String name) {
        Path log = logDir.resolve(name + ".log");
        for (int i = 2; Files.exists(log); i++) {
            log = logDir.resolve(name + "-" + i + ".log");
        }
        return log;
    }
}
