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
import dev.ferrite.lab.proxy.ProxyMode;
import java.util.Arrays;
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
        // drill-0 Cluster, drill-1 Local; node3 runs no pod
        lab = LabSession.start(new LabSession.Options(3, "fxdrill-", Optional.empty(), ProxyMode.NFTABLES, TrafficPolicy.MIX,
                LabSession.Options.DEFAULT_CONNECTIONS), s -> { });
        // kept until the drill is known to have run: CI can then show the speakers' logs
        lab.keepRunDir();
        lab.deployServices(2, Duration.ofSeconds(60), s -> { });
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
        return row(f.cliName());
    }

    static FaultRun row(String name) {
        return runs.stream().filter(r -> r.fault().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no row " + name));
    }

    @Test
    void everyFaultRanOnceWithItsFailbackAndEveryServiceWasRestored() {
        long failbacks = Arrays.stream(Fault.values()).filter(Fault::failsBack).count();
        assertEquals(Fault.values().length + failbacks, runs.size());
        for (Fault f : Fault.values()) {
            if (f.failsBack()) {
                assertTrue(row(f.failbackName()).restored(), f.failbackName() + ": not restored");
            }
        }
        for (FaultRun r : runs) {
            assertTrue(r.restored(), r.fault() + ": service not restored: " + r.services());
        }
    }

    @Test
    void theFaultsThatMoveOwnershipMoveTheServiceToAnotherNode() {
        for (Fault f : List.of(Fault.CRASH, Fault.LINK_DOWN, Fault.DRAIN, Fault.UPGRADE, Fault.API_DOWN)) {
            ServiceOutcome o = run(f).services().get(0);
            assertEquals(Optional.of(run(f).faultOwner()), o.ownerBefore(), f.cliName() + ": " + o);
            assertTrue(o.ownerAfter().isPresent(), f.cliName() + ": nobody answered after the fault: " + o);
            assertNotEquals(o.ownerBefore(), o.ownerAfter(), f.cliName() + ": owner did not move: " + o);
        }
    }

    @Test
    void endpointGoneMovesTheLocalServiceToANodeWithAPod() {
        FaultRun r = run(Fault.ENDPOINT_GONE);
        ServiceOutcome local = r.services().get(1);
        assertEquals(Optional.of(r.faultOwner()), local.ownerBefore(), local.toString());
        assertTrue(local.ownerAfter().isPresent(), "nobody answered the Local Service after its endpoint went: " + local);
        assertNotEquals(local.ownerBefore(), local.ownerAfter(), local.toString());
        assertNotEquals(Optional.of("node3"), local.ownerAfter(), "node3 has no pod: " + local);
    }

    @Test
    void everyRunCountsTheLongLivedConnectionsAndNoTrafficReachesANodeWithoutALocalEndpoint() {
        for (FaultRun r : runs) {
            // two Services, four connections each, all open before the fault began. Failback rows
            // are checked for consistent counts only: the upgrade's failback once counted no open
            // connection at the new speaker's start (not yet explained, see docs/drills.md)
            if (!r.fault().endsWith("/failback")) {
                assertTrue(r.connections().connections() >= 4, r.fault() + ": " + r.connections());
            }
            assertEquals(r.connections().connections(),
                    r.connections().survived() + r.connections().broken(), r.fault() + ": " + r.connections());
            // failback rows are left out: after link-down the IP can fail back a moment before the
            // returning node's pods are back in the EndpointSlices (a lab race, see docs/drills.md)
            if (!r.fault().startsWith(Fault.ENDPOINT_GONE.cliName()) && !r.fault().endsWith("/failback")) {
                assertEquals(0, r.noLocalEndpointDrops(), r.fault() + ": packets dropped at a node without a local endpoint");
            }
        }
    }

    @Test
    void movesBetweenLiveNodesAndTheirFailbacksBreakNoConnection() {
        // the node stays up in each of these, so flow handoff keeps every open connection, on
        // the move away and on the move back
        for (Fault f : List.of(Fault.CRASH, Fault.DRAIN, Fault.UPGRADE)) {
            for (String name : List.of(f.cliName(), f.failbackName())) {
                FaultRun r = row(name);
                assertEquals(0, r.connections().broken(), name + ": connections broken: " + r.connections());
            }
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
    void rogueNeverHandsOutAnAddressAProbeFoundInUse() {
        var check = run(Fault.ROGUE).addressInUse().orElseThrow(() -> new AssertionError("rogue ran without its second half"));
        assertTrue(check.movedTo().isPresent() && check.listedByPool() && !check.givenAfterFound(), check.toString());
    }
}
