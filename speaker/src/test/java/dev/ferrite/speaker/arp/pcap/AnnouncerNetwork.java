package dev.ferrite.speaker.arp.pcap;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small L2 network of our own for end-to-end runs, root only. Three namespaces: a client
 * {@code C} holding a bridge with 198.18.10.1/24 and 2001:db8:10::1/64, and two "nodes"
 * {@code A} and {@code B}, each plugged into the bridge by a veth ({@code a0}, {@code b0})
 * and each running an {@link AnnouncerProcess} in its own JVM.
 *
 * <p>Why a child JVM per node ({@code ip netns exec NS java ...}) rather than pulling a veth
 * into the caller's namespace: the announcer then sees what a speaker on a node sees — its
 * namespace's own /sys/class/net, so automatic interface selection is exercised too — and
 * nothing is added to the host's namespace, where other work runs. {@link #close} stops the
 * children by their PIDs and deletes the namespaces; a shutdown hook does the same if the
 * JVM is stopped first.
 */
final class AnnouncerNetwork implements AutoCloseable {

    static final String MAC_A = "02:fa:00:00:00:0a";
    static final String MAC_B = "02:fb:00:00:00:0b";

    final String client;
    final String nodeA;
    final String nodeB;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Announcer> announcers = new ArrayList<>();
    private final Thread cleanupHook = new Thread(this::cleanUp, "fxarp-cleanup");
    private Announcer a;
    private Announcer b;

    /** One announcer JVM in one namespace, spoken to over its stdin and stdout. */
    record Announcer(String namespace, Process process, Writer in, BlockingQueue<String> lines) {

        String ask(String command) throws Exception {
            lines.clear();
            in.write(command + "\n");
            in.flush();
            String reply = lines.poll(10, TimeUnit.SECONDS);
            if (reply == null) {
                throw new AssertionError("announcer in " + namespace + " did not answer '" + command + "'");
            }
            return reply;
        }

        long counter(String name) throws Exception {
            Matcher m = Pattern.compile(name + "=(\\d+)").matcher(ask("counters"));
            if (!m.find()) {
                throw new AssertionError("no counter " + name);
            }
            return Long.parseLong(m.group(1));
        }
    }

    record Result(int exit, String output) {
    }

    private final List<String> announcerArgs;

    private AnnouncerNetwork(String prefix, List<String> announcerArgs) {
        this.announcerArgs = List.copyOf(announcerArgs);
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        client = prefix + "c" + suffix;
        nodeA = prefix + "a" + suffix;
        nodeB = prefix + "b" + suffix;
    }

    static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return "0".equals(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds the network and starts both announcers; cleans up everything if any step fails. */
    static AnnouncerNetwork create(String prefix) throws Exception {
        return create(prefix, List.of());
    }

    /** The same, each announcer started with {@code announcerArgs} (see {@link AnnouncerProcess}). */
    static AnnouncerNetwork create(String prefix, List<String> announcerArgs) throws Exception {
        AnnouncerNetwork n = new AnnouncerNetwork(prefix, announcerArgs);
        Runtime.getRuntime().addShutdownHook(n.cleanupHook);
        try {
            n.build();
            return n;
        } catch (Exception | AssertionError e) {
            n.close();
            throw e;
        }
    }

    private void build() throws Exception {
        for (String ns : List.of(client, nodeA, nodeB)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
        }
        sh("ip", "-n", client, "link", "add", "br0", "type", "bridge");
        sh("ip", "link", "add", "a0", "netns", nodeA, "type", "veth", "peer", "name", "pa", "netns", client);
        sh("ip", "link", "add", "b0", "netns", nodeB, "type", "veth", "peer", "name", "pb", "netns", client);
        sh("ip", "-n", nodeA, "link", "set", "a0", "address", MAC_A, "up");
        sh("ip", "-n", nodeB, "link", "set", "b0", "address", MAC_B, "up");
        for (String port : List.of("pa", "pb")) {
            sh("ip", "-n", client, "link", "set", port, "master", "br0", "up");
        }
        sh("ip", "-n", client, "link", "set", "br0", "up");
        sh("ip", "-n", client, "addr", "add", "198.18.10.1/24", "dev", "br0");
        sh("ip", "-n", client, "addr", "add", "2001:db8:10::1/64", "dev", "br0", "nodad");
        a = startAnnouncer(nodeA, "a0=" + MAC_A);
        b = startAnnouncer(nodeB, "b0=" + MAC_B);
    }

    Announcer a() {
        return a;
    }

    Announcer b() {
        return b;
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this
        }
    }

    private synchronized void cleanUp() {
        for (Announcer x : announcers) {
            try {
                x.in().write("quit\n");
                x.in().flush();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!x.process().waitFor(3, TimeUnit.SECONDS)) {
                    x.process().destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        announcers.clear();
        for (String ns : namespaces) {
            try {
                run(List.of("ip", "netns", "del", ns));
            } catch (Exception e) {
                System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }

    private Announcer startAnnouncer(String ns, String expectedInterface) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Path log = Files.createDirectories(Path.of("target", "netns-logs")).resolve("announcer-" + ns + ".log");
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns, java, "-cp",
                System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                AnnouncerProcess.class.getName()));
        argv.addAll(announcerArgs);
        Process p = new ProcessBuilder(argv).redirectError(log.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "fxarp-read-" + ns);
        reader.setDaemon(true);
        reader.start();
        Announcer x = new Announcer(ns, p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), lines);
        announcers.add(x);
        String ready = lines.poll(30, TimeUnit.SECONDS);
        if (ready == null) {
            throw new AssertionError("announcer in " + ns + " did not start; see " + log.toAbsolutePath());
        }
        // Automatic selection inside the namespace must pick the veth, never lo.
        if (!ready.equals("ready " + expectedInterface)) {
            throw new AssertionError("announcer in " + ns + " chose the wrong interfaces: " + ready);
        }
        return x;
    }

    /** Runs a command that must succeed; returns its output. */
    static String sh(String... command) throws Exception {
        Result r = run(List.of(command));
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    static Result run(List<String> command) throws Exception {
        File out = File.createTempFile("fxarp", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 10 s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath()));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }
}
