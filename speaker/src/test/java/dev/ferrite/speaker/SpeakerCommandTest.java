package dev.ferrite.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SpeakerCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SpeakerCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static SpeakerOptions parse(String... args) {
        SpeakerCommand c = new SpeakerCommand();
        new CommandLine(c).parseArgs(args);
        return c.options();
    }

    @Test
    void refusesToStartWithoutAMembershipSecretAndNamesTheFlag() {
        Run r = run("--node", "node-a");
        assertEquals(SpeakerCommand.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("--membership-secret-file"), r.err());
        assertTrue(r.err().contains("--insecure-membership"), r.err());
    }

    @Test
    void refusesAMissingSecretFileAndNamesIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        Run r = run("--node", "node-a", "--membership-secret-file", missing.toString());
        assertEquals(SpeakerCommand.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }

    @Test
    void aKubeconfigTheClientCannotReadIsAUsageErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("kubeconfig");
        Files.writeString(broken, "apiVersion: v1\nclusters: [ {{{ not yaml\n");
        // capture and flow handoff start meanwhile; neither needs the API
        Run r = run("--node", "node-a", "--insecure-membership", "--kubeconfig", broken.toString(), "--no-flow-handoff",
                "--interfaces", "ferrite-none0");
        assertEquals(SpeakerCommand.EXIT_USAGE, r.exit(), r.err());
        assertTrue(r.err().startsWith("speaker: --kubeconfig " + broken + ": "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void refusesToStartWithoutANodeName() {
        SpeakerCommand c = new SpeakerCommand();
        new CommandLine(c).parseArgs("--insecure-membership");
        c.node = null;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, c::options);
        assertTrue(e.getMessage().contains("--node"), e.getMessage());
    }

    @Test
    void flagsMapOntoSpeakerOptions(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "0123456789abcdef\n");
        SpeakerOptions o = parse("--node", "node-a", "--namespace", "lb", "--membership-secret-file", secret.toString(),
                "--membership-bind", "198.18.1.10:7000", "--membership-peers", "198.18.1.11:7000,[2001:db8::12]:7000",
                "--membership-probe-interval", "50ms", "--membership-suspicion-timeout", "1s",
                "--interfaces", "eth0,eth1", "--interface-exclude", "lo,veth.*", "--garp-refresh", "30s",
                "--metrics-port", "9100", "--handover-timeout", "2s");
        assertEquals("node-a", o.node());
        assertEquals("lb", o.namespace());
        assertEquals(new InetSocketAddress("198.18.1.10", 7000), o.membershipBind());
        assertEquals(List.of(new InetSocketAddress("198.18.1.11", 7000), new InetSocketAddress("2001:db8::12", 7000)),
                o.membershipPeers());
        assertEquals(Optional.of(secret), o.membershipSecretFile());
        assertEquals(Duration.ofMillis(50), o.probeInterval());
        assertEquals(Duration.ofSeconds(1), o.suspicionTimeout());
        assertEquals(List.of("eth0", "eth1"), o.interfaces());
        assertEquals(List.of("lo", "veth.*"), o.interfaceExcludes());
        assertEquals(Optional.of(Duration.ofSeconds(30)), o.garpRefresh());
        assertEquals(9100, o.metricsPort());
        assertEquals(Duration.ofSeconds(2), o.handoverTimeout());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        SpeakerOptions o = parse("--node", "node-a", "--insecure-membership");
        assertEquals("ferrite-system", o.namespace());
        assertEquals(new InetSocketAddress("0.0.0.0", 7946), o.membershipBind());
        assertEquals(7473, o.metricsPort());
        assertEquals(Duration.ofSeconds(3), o.handoverTimeout());
        assertEquals(Optional.empty(), o.garpRefresh());
        assertEquals(SpeakerOptions.MEMBERSHIP_DEFAULTS.probeInterval(), o.probeInterval());
        assertEquals(SpeakerOptions.MEMBERSHIP_DEFAULTS.suspicionTimeout(), o.suspicionTimeout());
        assertEquals(SpeakerOptions.DEFAULT_HANDOVER_TIMEOUT, o.handoverTimeout());
        assertEquals(List.of(), o.membershipPeers());
    }

    @Test
    void badValuesAreRejectedNamingTheFlag() {
        Run r = run("--node", "node-a", "--insecure-membership", "--membership-bind", "nowhere");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--membership-bind"), r.err());
        Run d = run("--node", "node-a", "--insecure-membership", "--handover-timeout", "soon");
        assertEquals(2, d.exit());
        assertTrue(d.err().contains("--handover-timeout"), d.err());
    }

    @Test
    void helpDescribesEveryFlag() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        for (String flag : List.of("--node", "--kubeconfig", "--namespace", "--membership-secret-file",
                "--insecure-membership", "--membership-bind", "--membership-advertise", "--membership-peers",
                "--membership-probe-interval", "--membership-suspicion-timeout", "--interfaces", "--interface-exclude",
                "--garp-refresh", "--metrics-port", "--handover-timeout")) {
            assertTrue(r.out().contains(flag), "help lists " + flag + ":\n" + r.out());
        }
    }
}
