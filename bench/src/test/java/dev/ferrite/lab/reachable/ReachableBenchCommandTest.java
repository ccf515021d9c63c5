package dev.ferrite.lab.reachable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code bench reachable} refuses before it builds a lab (the lab itself needs root). */
class ReachableBenchCommandTest {

    @Test
    void speakerArgsThatSetWhatTheLabSetsAreRefusedBeforeAnythingIsBuilt() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ReachableBenchCommand());
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("--speaker-args=--membership-probe-interval=200ms --node=node9");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("--speaker-args: --node is set by the lab"), err.toString());
        assertTrue(!err.toString().contains("building lab"), err.toString());
    }
}
