package dev.ferrite.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultSummaryTest {

    static FaultRun run(String fault, int n, long outage, String from, String to, int failed, List<String> dup, boolean restored) {
        ServiceOutcome o = new ServiceOutcome("default/web-0", "198.18.0.200", outage, outage,
                to == null || to.equals(from) ? Optional.empty() : Optional.of(outage / 2),
                Optional.of(from), Optional.ofNullable(to), 100, failed, restored);
        return new FaultRun(fault, n, from, List.of(o), dup, List.of(), Optional.of(outage), new Timeline(fault, List.of()), FaultRun.Failback.ON_ITS_OWN, Optional.empty());
    }

    @Test
    void groupsRunsByFaultInTheOrderTheyRan() {
        List<FaultSummary> s = FaultSummary.of(List.of(
                run("crash", 1, 300, "node-1", "node-2", 40, List.of(), true),
                run("drain", 1, 0, "node-2", "node-3", 0, List.of(), true),
                run("crash", 2, 500, "node-3", "node-1", 60, List.of(), true)));
        assertEquals(List.of("crash", "drain"), s.stream().map(FaultSummary::fault).toList());
        FaultSummary crash = s.get(0);
        assertEquals(2, crash.runs());
        assertEquals(100, crash.failedProbes());
        assertEquals(500, crash.outage().max());
        assertEquals(300, crash.outage().p50());
        assertEquals(0, s.get(1).failedProbes());
    }

    @Test
    void countsRunsWithTwoMacsAndRunsThatNeverCameBack() {
        FaultSummary s = FaultSummary.of(List.of(
                run("partition", 1, 0, "node-1", "node-1", 0, List.of("198.18.0.200"), true),
                run("partition", 2, 0, "node-1", null, 12, List.of(), false),
                run("partition", 3, 0, "node-1", "node-1", 0, List.of(), true))).get(0);
        assertEquals(1, s.runsWithDuplicateAnswers());
        assertEquals(1, s.runsNotRestored());
    }

    @Test
    void ownerMovesShowTheCommonestMoveAndHowManyOthers() {
        FaultSummary s = FaultSummary.of(List.of(
                run("crash", 1, 1, "node-1", "node-2", 1, List.of(), true),
                run("crash", 2, 1, "node-1", "node-2", 1, List.of(), true),
                run("crash", 3, 1, "node-2", null, 1, List.of(), true))).get(0);
        assertEquals("node-1→node-2 ×2 (+1 other)", s.ownerMovesText());
        assertTrue(s.ownerMoves().containsKey("node-2→?"));
    }

    @Test
    void tableHasAHeaderAndOneAlignedRowPerFault() {
        String table = SummaryTable.render(FaultSummary.of(List.of(
                run("crash", 1, 312, "node-1", "node-2", 61, List.of(), true),
                run("link-down", 1, 1104, "node-2", "node-3", 220, List.of(), true))));
        List<String> lines = table.lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("fault"));
        assertTrue(lines.get(1).startsWith("crash "));
        assertTrue(lines.get(1).contains("312"));
        assertTrue(lines.get(2).contains("1104"));
        assertTrue(lines.get(2).contains("node-2→node-3"));
        assertEquals(lines.get(1).length(), lines.get(2).length(), "columns aligned");
    }
}
