package dev.ferrite.lab.reachable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void aTimelineWhoseDirectoryIsMissingIsRefusedBeforeAnythingIsBuilt(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ReachableBenchCommand());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("--timeline", dir.resolve("missing/t.tsv").toString()), err.toString());
        assertTrue(err.toString().contains("does not exist or is not writable"), err.toString());
        assertEquals(2, cl.execute("--timeline", dir.toString()), err.toString());
        assertTrue(err.toString().contains("is a directory"), err.toString());
        assertTrue(!err.toString().contains("building lab"), err.toString());
    }

    @Test
    void theTimelineHasALinePerServiceInMillisecondsFromTheFirstCreateEmptyWhereNothingCame() {
        long t0 = 5_000_000_000L;
        String text = ReachableBenchCommand.timeline(List.of("reach-0", "reach-1"), t0,
                Map.of("reach-0", t0, "reach-1", t0 + 40_000_000L), Map.of("reach-0", t0 + 250_000_000L),
                Map.of("reach-0", t0 + 300_900_000L), Map.of("reach-0", t0 + 310_000_000L));
        assertEquals("service\tcreated_ms\tstatus_ms\tfirst_arp_ms\tfirst_http_ms\n"
                + "reach-0\t0\t250\t300\t310\n"
                + "reach-1\t40\t\t\t\n", text);
    }
}
