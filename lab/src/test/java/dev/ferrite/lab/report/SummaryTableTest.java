package dev.ferrite.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    private static FaultRun rogue(int n, Optional<Long> reported, AddressInUseCheck check) {
        return new FaultRun("rogue", n, "node1", List.of(), List.of(), List.of(), Optional.of(0L),
                new Timeline("rogue", List.of()), FaultRun.Failback.ON_ITS_OWN, reported, ConnectionOutcome.NONE, 0,
                Optional.of(check));
    }

    @Test
    void rogueRunsGetALineWithTheReportTimeAndWhatBecameOfTheTakenAddress() {
        AddressInUseCheck moved = new AddressInUseCheck("198.18.0.201", Optional.of("198.18.0.201"),
                Optional.of("198.18.0.202"), Optional.of(500L), true, Optional.of("198.18.0.203"));
        AddressInUseCheck givenAgain = new AddressInUseCheck("198.18.0.201", Optional.of("198.18.0.201"),
                Optional.of("198.18.0.202"), Optional.of(700L), true, Optional.of("198.18.0.201"));
        String notes = SummaryTable.notes(List.of(rogue(1, Optional.of(600L), moved), rogue(2, Optional.of(900L), moved),
                rogue(3, Optional.empty(), givenAgain)));
        assertEquals("rogue: foreign claim reported after p50 600 ms, max 900 ms (1 runs: never); address taken before"
                + " a Service was created: held in 2/3 runs (the Service moved after p50 500 ms, max 700 ms),"
                + " handed out again in 1/3" + System.lineSeparator(), notes);
    }

    @Test
    void noRogueRunNoLine() {
        FaultRun crash = FaultSummaryTest.run("crash", 1, 100, "node1", "node2", 3, List.of(), true);
        assertEquals("", SummaryTable.notes(List.of(crash)));
    }
}
