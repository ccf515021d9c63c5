package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real ARP and NDP against a real Linux neighbour table. Three namespaces of our own: a
 * client {@code C} holding a bridge with 198.18.10.1/24 and 2001:db8:10::1/64, and two
 * "nodes" {@code A} and {@code B}, each plugged into the bridge by a veth and each running
 * an announcer in its own JVM.
 *
 * <p>Why a child JVM per node ({@code ip netns exec NS java ...}) rather than pulling a veth
 * into the test JVM's namespace: the announcer then sees what a speaker on a node sees —
 * its namespace's own /sys/class/net, so automatic interface selection is exercised too —
 * and nothing is added to the host's namespace, where other work runs. The children are
 * stopped by their PIDs and the namespaces deleted, also when a test fails.
 */
@Tag("netns")
class PcapAnnouncerNetnsTest {

    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    private static final String C = "fxarpc" + SUFFIX;
    private static final String A = "fxarpa" + SUFFIX;
    private static final String B = "fxarpb" + SUFFIX;
    private static final String MAC_A = "02:fa:00:00:00:0a";
    private static final String MAC_B = "02:fb:00:00:00:0b";

    private static final List<String> namespaces = new ArrayList<>();
    private static final Map<String, Announcer> announcers = new HashMap<>();
    private static Thread cleanupHook;

    /** One announcer JVM in one namespace, spoken to over its stdin and stdout. */
    private record Announcer(String namespace, Process process, Writer in, BlockingQueue<String> lines) {

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
            assertTrue(m.find());
            return Long.parseLong(m.group(1));
        }
    }

    private static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                    StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            return false;
        }
    }

    @BeforeAll
    static void buildNetwork() throws Exception {
        Assumptions.assumeTrue(isRoot(), "needs root: creates network namespaces");
        cleanupHook = new Thread(PcapAnnouncerNetnsTest::cleanUp, "fxarp-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        for (String ns : List.of(C, A, B)) {
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
        }
        sh("ip", "-n", C, "link", "add", "br0", "type", "bridge");
        sh("ip", "link", "add", "a0", "netns", A, "type", "veth", "peer", "name", "pa", "netns", C);
        sh("ip", "link", "add", "b0", "netns", B, "type", "veth", "peer", "name", "pb", "netns", C);
        sh("ip", "-n", A, "link", "set", "a0", "address", MAC_A, "up");
        sh("ip", "-n", B, "link", "set", "b0", "address", MAC_B, "up");
        for (String port : List.of("pa", "pb")) {
            sh("ip", "-n", C, "link", "set", port, "master", "br0", "up");
        }
        sh("ip", "-n", C, "link", "set", "br0", "up");
        sh("ip", "-n", C, "addr", "add", "198.18.10.1/24", "dev", "br0");
        sh("ip", "-n", C, "addr", "add", "2001:db8:10::1/64", "dev", "br0", "nodad");
        announcers.put(A, startAnnouncer(A, "a0=" + MAC_A));
        announcers.put(B, startAnnouncer(B, "b0=" + MAC_B));
    }

    @AfterAll
    static void tearDown() {
        cleanUp();
        if (cleanupHook != null) {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        }
    }

    private static synchronized void cleanUp() {
        for (Announcer a : announcers.values()) {
            try {
                a.in().write("quit\n");
                a.in().flush();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!a.process().waitFor(3, TimeUnit.SECONDS)) {
                    a.process().destroyForcibly().waitFor(3, TimeUnit.SECONDS);
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

    private static Announcer startAnnouncer(String ns, String expectedInterface) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Path log = Files.createDirectories(Path.of("target", "netns-logs")).resolve("announcer-" + ns + ".log");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", AnnouncerProcess.class.getName())
                .redirectError(log.toFile())
                .start();
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
        Announcer a = new Announcer(ns, p, new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                lines);
        String ready = lines.poll(30, TimeUnit.SECONDS);
        if (ready == null) {
            p.destroyForcibly();
            throw new AssertionError("announcer in " + ns + " did not start; see " + log.toAbsolutePath());
        }
        // Automatic selection inside the namespace must pick the veth, never lo.
        assertEquals("ready " + expectedInterface, ready, "interfaces chosen in " + ns);
        return a;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void clientLearnsTheAnnouncersMacForAnOwnedIp() throws Exception {
        Announcer a = announcers.get(A);
        Announcer b = announcers.get(B);
        long bRepliesBefore = b.counter("replies");
        long aRepliesBefore = a.counter("replies");
        assertEquals("ok changed", a.ask("announce 198.18.10.200"));

        ping("198.18.10.200");

        assertEquals(Optional.of(MAC_A), neighbour("198.18.10.200", Optional::isPresent));
        assertTrue(a.counter("replies") > aRepliesBefore, "A answered");
        assertEquals(bRepliesBefore, b.counter("replies"), "B, which does not own the IP, stayed silent");
        a.ask("withdraw 198.18.10.200");
    }

    @Test
    void gratuitousArpMovesAStaleEntryToTheNewOwner() throws Exception {
        Announcer a = announcers.get(A);
        Announcer b = announcers.get(B);
        String vip = "198.18.10.201";
        a.ask("announce " + vip);
        ping(vip);
        assertEquals(Optional.of(MAC_A), neighbour(vip, Optional::isPresent));
        sh("ip", "-n", C, "neigh", "change", vip, "dev", "br0", "lladdr", MAC_A, "nud", "stale");

        long gratuitousBefore = b.counter("gratuitous");
        a.ask("withdraw " + vip);
        assertEquals("ok changed", b.ask("announce " + vip));

        // The client sends nothing: only B's gratuitous ARP can change its entry.
        assertEquals(Optional.of(MAC_B), neighbour(vip, mac -> mac.equals(Optional.of(MAC_B))));
        assertTrue(b.counter("gratuitous") >= gratuitousBefore + 2, "both GARP forms sent");
        b.ask("withdraw " + vip);
    }

    @Test
    void clientLearnsTheAnnouncersMacForAnOwnedIpv6Address() throws Exception {
        Announcer a = announcers.get(A);
        String vip = "2001:db8:10::200";
        a.ask("announce " + vip);
        String groups = sh("ip", "-n", A, "maddr", "show", "dev", "a0");
        assertTrue(groups.contains("33:33:ff:00:02:00"), "solicited-node group joined on a0:\n" + groups);

        ping(vip);

        assertEquals(Optional.of(MAC_A), neighbour(vip, Optional::isPresent));
        a.ask("withdraw " + vip);
        assertTrue(!sh("ip", "-n", A, "maddr", "show", "dev", "a0").contains("33:33:ff:00:02:00"),
                "solicited-node group left after withdrawal");
    }

    @Test
    void unsolicitedNeighborAdvertisementMovesAStaleEntryToTheNewOwner() throws Exception {
        Announcer a = announcers.get(A);
        Announcer b = announcers.get(B);
        String vip = "2001:db8:10::201";
        a.ask("announce " + vip);
        ping(vip);
        assertEquals(Optional.of(MAC_A), neighbour(vip, Optional::isPresent));
        sh("ip", "-n", C, "neigh", "change", vip, "dev", "br0", "lladdr", MAC_A, "nud", "stale");

        a.ask("withdraw " + vip);
        b.ask("announce " + vip);

        assertEquals(Optional.of(MAC_B), neighbour(vip, mac -> mac.equals(Optional.of(MAC_B))));
        b.ask("withdraw " + vip);
    }

    @Test
    void anIpNobodyOwnsGetsNoAnswer() throws Exception {
        Announcer a = announcers.get(A);
        Announcer b = announcers.get(B);
        a.ask("announce 198.18.10.210");
        b.ask("announce 2001:db8:10::210");
        long repliesBefore = a.counter("replies") + b.counter("replies");
        long seenBefore = a.counter("requests");

        ping("198.18.10.250");
        ping("2001:db8:10::250");

        // The kernel gives up after its probes (about 3 s); until then and after, no MAC.
        assertEquals(Optional.empty(), neighbourState("198.18.10.250", "FAILED"));
        assertEquals(Optional.empty(), neighbourState("2001:db8:10::250", "FAILED"));
        assertTrue(a.counter("requests") > seenBefore, "the questions did reach the announcer");
        assertEquals(repliesBefore, a.counter("replies") + b.counter("replies"));
        a.ask("withdraw 198.18.10.210");
        b.ask("withdraw 2001:db8:10::210");
    }

    @Test
    void malformedFramesAreCountedAndDoNotStopAnswers() throws Exception {
        Announcer a = announcers.get(A);
        Announcer b = announcers.get(B);
        long before = b.counter("malformed");
        // Full length, so the bridge forwards it (Linux bridges drop ARP runts), but opcode 3.
        String badOpcode = "ffffffffffff" + "02fa0000000a" + "0806" + "0001080006040003" + "0".repeat(40);
        byte[] badChecksum = Frames.hex(Frames.KERNEL_NEIGHBOR_SOLICITATION);
        badChecksum[57] ^= 1;
        assertEquals("ok injected", a.ask("inject a0 " + badOpcode));
        assertEquals("ok injected", a.ask("inject a0 " + Frames.hex(badChecksum)));

        long after = before;
        for (int i = 0; i < 50 && after < before + 2; i++) {
            Thread.sleep(20);
            after = b.counter("malformed");
        }
        assertEquals(before + 2, after);

        b.ask("announce 198.18.10.220");
        ping("198.18.10.220");
        assertEquals(Optional.of(MAC_B), neighbour("198.18.10.220", Optional::isPresent));
        b.ask("withdraw 198.18.10.220");
    }

    // ------------------------------------------------------------------ the client's side

    /** Makes the client resolve {@code ip}; the ping itself fails, nobody holds the address. */
    private static void ping(String ip) throws Exception {
        run(List.of("ip", "netns", "exec", C, "ping", "-c1", "-W1", ip));
    }

    /** Waits (at most 3 s) until the client's entry for {@code ip} satisfies {@code done}; returns its MAC. */
    private static Optional<String> neighbour(String ip, Predicate<Optional<String>> done) throws Exception {
        Optional<String> mac = Optional.empty();
        for (int i = 0; i < 60; i++) {
            mac = lladdr(sh("ip", "-n", C, "neigh", "show", ip, "dev", "br0"));
            if (done.test(mac)) {
                return mac;
            }
            Thread.sleep(50);
        }
        return mac;
    }

    /** Waits (at most 6 s) until the client's entry for {@code ip} is in {@code state}; returns its MAC. */
    private static Optional<String> neighbourState(String ip, String state) throws Exception {
        String entry = "";
        for (int i = 0; i < 60; i++) {
            entry = sh("ip", "-n", C, "neigh", "show", ip, "dev", "br0");
            if (entry.contains(state)) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(entry.contains(state), "entry for " + ip + " never became " + state + ": " + entry);
        return lladdr(entry);
    }

    private static Optional<String> lladdr(String entry) {
        Matcher m = LLADDR.matcher(entry);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    // ------------------------------------------------------------------ commands

    /** Runs a command that must succeed; returns its output. */
    private static String sh(String... command) throws Exception {
        Result r = run(List.of(command));
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws Exception {
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
