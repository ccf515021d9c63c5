package dev.ferrite.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ControllerCommandTest {

    @Test
    void defaultsMatchTheDocumentedOnes() {
        ControllerCommand c = new ControllerCommand();
        new CommandLine(c).parseArgs();
        assertEquals("ferrite-system", c.namespace);
        assertEquals(7472, c.metricsPort);
        assertTrue(c.leaderElect);
        assertNull(c.lbClass);
        assertNull(c.kubeconfig);
    }

    @Test
    void leaderElectionCanBeSwitchedOffAndClassSet() {
        ControllerCommand c = new ControllerCommand();
        new CommandLine(c).parseArgs("--leader-elect=false", "--lb-class", "ferrite.dev/lb", "--node-name", "node-1",
                "--metrics-port", "9000", "--namespace", "lb");
        assertEquals(false, c.leaderElect);
        assertEquals("ferrite.dev/lb", c.lbClass);
        assertEquals("node-1", c.identity);
        assertEquals(9000, c.metricsPort);
        assertEquals("lb", c.namespace);
    }

    @Test
    void webhookListenAddressesParseAndBadOnesAreRejected() {
        assertEquals(9443, ControllerCommand.listenAddress(":9443").getPort());
        assertTrue(ControllerCommand.listenAddress(":9443").getAddress().isAnyLocalAddress());
        assertEquals("127.0.0.1", ControllerCommand.listenAddress("127.0.0.1:9443").getHostString());
        assertEquals(9443, ControllerCommand.listenAddress("[::1]:9443").getPort());
        for (String bad : new String[] {"9443", ":https", ":70000"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ControllerCommand.listenAddress(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void aBadWebhookAddressIsAUsageErrorNamingTheFlag() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cmd = new CommandLine(new ControllerCommand());
        cmd.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cmd.execute("--webhook-listen", "nonsense"));
        assertTrue(err.toString().contains("--webhook-listen"), err.toString());
    }

    @Test
    void helpDescribesEveryOption() {
        String help = new CommandLine(new ControllerCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String option : new String[] {"--kubeconfig", "--namespace", "--lb-class", "--metrics-port", "--leader-elect",
            "--identity", "--node-name", "default: ferrite-system", "default: 7472"}) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
    }
}
