package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.bench.BenchOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HandoffBenchCommandTest {

    @Test
    void readsTheClientsStatsLineByPod() {
        String line = "a n=400 p50_us=310 p90_us=420 p99_us=900 mean_us=330;b n=398 p50_us=290 p90_us=400 p99_us=850 mean_us=300";
        assertEquals(Optional.of(new HandoffBenchCommand.Kind(400, 310, 420, 900, 330)), HandoffBenchCommand.Kind.of(line, "a"));
        assertEquals(Optional.of(new HandoffBenchCommand.Kind(398, 290, 400, 850, 300)), HandoffBenchCommand.Kind.of(line, "b"));
        assertEquals(Optional.empty(), HandoffBenchCommand.Kind.of(line, "c"));
        assertEquals(Optional.empty(), HandoffBenchCommand.Kind.of("", "a"));
        assertEquals(2, HandoffBenchCommand.brokenIn("open=5 broken=2 answers=a:10"));
    }

    @Test
    void nearestRankPercentiles() {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, KeepAliveClient.percentile(sorted, 50));
        assertEquals(9, KeepAliveClient.percentile(sorted, 90));
        assertEquals(10, KeepAliveClient.percentile(sorted, 99));
        assertEquals(7, KeepAliveClient.percentile(new long[] {7}, 50));
    }

    @Test
    void refusesBadOptionsWithAClearMessage() {
        for (String[] args : new String[][] {{"--seconds", "0"}, {"--connections", "0"}, {"--proxy-modes", "iptables"},
                {"--families", "ipv5"}}) {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new HandoffBenchCommand());
            cl.setErr(new PrintWriter(err, true));
            assertEquals(2, cl.execute(args), String.join(" ", args));
            assertTrue(err.toString().startsWith(args[0]), err.toString());
        }
    }

    /** One short interval in nftables mode, IPv4: both kinds answered, the handed-off flows counted, nothing broken. */
    @Test
    @Tag("netns")
    void measuresHandedOffAndDirectRoundTripsSideBySide() {
        Assumptions.assumeTrue(HandoffNetwork.isRoot(), "needs root: creates network namespaces");
        String json = BenchOutput.json(new HandoffBenchCommand(), "--seconds", "1", "--connections", "2",
                "--proxy-modes", "nftables", "--families", "ipv4");
        Map<String, Double> f = BenchOutput.numbers(json);
        String p = "nftables_ipv4_";
        for (String kind : new String[] {"direct_before_", "handed_off_", "direct_"}) {
            assertTrue(f.get(p + kind + "n") >= 50, kind + ": " + json);
            assertTrue(f.get(p + kind + "p50_us") > 0 && f.get(p + kind + "p50_us") <= f.get(p + kind + "p99_us"), json);
        }
        assertEquals(f.get(p + "handed_off_p50_us") - f.get(p + "direct_p50_us"), f.get(p + "extra_p50_us"), json);
        assertEquals(0.0, f.get(p + "connections_broken"), json);
        assertEquals(2.0, f.get(p + "flows_handed_off"), "each handed-off connection counted once: " + json);
        assertTrue(f.get(p + "packets_handed_off") > f.get(p + "flows_handed_off"), json);
    }
}
