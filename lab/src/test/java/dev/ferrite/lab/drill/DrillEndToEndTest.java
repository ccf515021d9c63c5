package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.report.FaultRun;
import dev.ferrite.lab.report.ProgressLine;
import dev.ferrite.lab.report.ServiceOutcome;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole lab for real: namespaces, embedded API server, the real controller, a real
 * speaker per node, the client probing through its own kernel. One short run of every fault;
 * asserts correctness only (restored, moved, one MAC per IP), never timings.
 */
@Tag("netns")
class DrillEndToEndTest {
    static LabSession lab;
    static List<FaultRun> runs;

    @BeforeAll
    static void drill() throws Exception {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        lab = LabSession.start(new LabSession.Options(3, "fxdrill-", Optional.empty()), s -> { });
        // kept until the drill is known to have run: CI can then show the speakers' logs
        lab.keepRunDir();
        lab.deployServices(1, Duration.ofSeconds(60), s -> { });
        Drill.Plan plan = new Drill.Plan(List.of(Fault.values()), 1, Duration.ofSeconds(8), Duration.ofSeconds(40),
                Duration.ofSeconds(2));
        runs = new Drill(lab, plan, new ProgressLine(new PrintStream(System.err), false)).run();
        if (runs.stream().allMatch(r -> r.restored() && r.duplicateAnswers().isEmpty())) {
            lab.discardRunDirOnClose();
        }
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    static FaultRun run(Fault f) {
        return runs.stream().filter(r -> r.fault().equals(f.cliName())).findFirst().orElseThrow();
    }

    @Test
    void everyFaultRanOnceAndEveryServiceWasRestored() {
        assertEquals(Fault.values().length, runs.size());
        for (FaultRun r : runs) {
            assertTrue(r.restored(), r.fault() + ": service not restored: " + r.services());
        }
    }

    @Test
    void crashLinkDownDrainAndApiDownMoveTheServiceToAnotherNode() {
        for (Fault f : List.of(Fault.CRASH, Fault.LINK_DOWN, Fault.DRAIN, Fault.API_DOWN, Fault.MAJORITY_CRASH)) {
            ServiceOutcome o = run(f).services().get(0);
            assertEquals(Optional.of(run(f).faultOwner()), o.ownerBefore(), f.cliName() + ": " + o);
            assertTrue(o.ownerAfter().isPresent(), f.cliName() + ": nobody answered after the fault: " + o);
            assertNotEquals(o.ownerBefore(), o.ownerAfter(), f.cliName() + ": owner did not move: " + o);
        }
    }

    @Test
    void noIpIsAnsweredByTwoMacsOnceTheLabSettled() {
        for (FaultRun r : runs) {
            assertEquals(List.of(), r.duplicateAnswers(), r.fault() + ": duplicate ARP answers after settling");
        }
    }

    @Test
    void aPartitionHealsIntoOneOwner() {
        FaultRun p = run(Fault.PARTITION);
        assertTrue(p.settleMillis().isPresent(), "partition never settled: " + p.services());
        assertTrue(p.services().get(0).ownerAfter().isPresent());
    }

    @Test
    void duringAPartitionOnlyOneSideAnswers() {
        assertEquals(List.of(), run(Fault.PARTITION).splitBrain(), "two MACs answered during the partition");
    }

    @Test
    void theSurvivorOfAMajorityCrashAnswersForEveryIp() {
        FaultRun r = run(Fault.MAJORITY_CRASH);
        assertTrue(r.settleMillis().isPresent(), "no single survivor answered: " + r.services());
    }

    @Test
    void aRogueHostAnsweringForAServiceIpIsReported() {
        FaultRun r = run(Fault.ROGUE);
        assertTrue(r.reportedMillis().isPresent(), "no ForeignClaim event on the Service");
        assertEquals(Optional.of(r.faultOwner()), r.services().get(0).ownerAfter(), "the owner keeps the IP");
    }
}
