package dev.ferrite.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class LabCommandTest {

    static List<Arguments> refusals() {
        return List.of(
                Arguments.of(new String[] {"drill", "--faults", "crash,reboot"}, "unknown fault \"reboot\""),
                Arguments.of(new String[] {"drill", "--nodes", "1"}, "--nodes 1"),
                Arguments.of(new String[] {"drill", "--runs", "0"}, "--runs 0"),
                Arguments.of(new String[] {"drill", "--services", "0"}, "--services 0"),
                // more Services than the lab's pool has addresses would wait a minute for IPs that cannot come
                Arguments.of(new String[] {"up", "--services", "141"}, "--services 141: must be between 1 and 140"
                        + " (the lab's address pool holds 55 IPv4 and 85 IPv6 addresses)"),
                Arguments.of(new String[] {"drill", "--services", "500"}, "must be between 1 and 140"),
                Arguments.of(new String[] {"drill", "--kubeconfig", "/nonexistent/kubeconfig"}, "not readable"),
                Arguments.of(new String[] {"up", "--nodes", "101"}, "--nodes 101"),
                // the lab names and connects its speakers itself
                Arguments.of(new String[] {"drill", "--speaker-args=--membership-probe-interval=200ms --membership-peers=198.18.0.99:7946"},
                        "--speaker-args: --membership-peers is set by the lab"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void badArgumentsAreRefusedBeforeAnythingIsBuilt(String[] args, String expected) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute(args);
        assertEquals(LabCommand.EXIT_REFUSED, code, err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }

    @ParameterizedTest
    @MethodSource("helps")
    void everySubcommandDocumentsItsOptions(String sub, String option) {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(sub, "--help"));
        assertTrue(out.toString().contains(option), out.toString());
    }

    static List<Arguments> helps() {
        return List.of(Arguments.of("drill", "--faults"), Arguments.of("drill", "--svg"), Arguments.of("drill", "--kubeconfig"),
                Arguments.of("up", "--services"), Arguments.of("up", "--speaker-args"), Arguments.of("down", "--prefix"));
    }
}
