package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.proxy.ProxyMode;
import dev.ferrite.lab.report.AddressInUseCheck;
import dev.ferrite.lab.report.FaultRun;
import dev.ferrite.lab.report.JsonReport;
import dev.ferrite.lab.report.ProgressLine;
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
 * A 2-node lab: the {@code rogue} fault, both halves: a host that is not a node claims a
 * Service IP (reported), and another host already uses the lowest free pool address when a
 * new Service is created (the Service is moved off it and no later Service gets it); and a
 * {@code partition}, which on two nodes is an even split the tiebreak Lease decides. Real
 * speakers, the real controller, the client host's kernel answering the probe.
 */
@Tag("netns")
class RogueDrillEndToEndTest {
    static LabSession lab;
    static FaultRun rogue;
    static FaultRun partition;

    @BeforeAll
    static void drill() throws Exception {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        lab = LabSession.start(new LabSession.Options(2, "fxrogue-", Optional.empty(), ProxyMode.NFTABLES, TrafficPolicy.CLUSTER,
                LabSession.Options.DEFAULT_CONNECTIONS), s -> { });
        lab.keepRunDir();
        lab.deployServices(1, Duration.ofSeconds(60), s -> { });
        Drill.Plan plan = new Drill.Plan(List.of(Fault.ROGUE, Fault.PARTITION), 1, Duration.ofSeconds(5),
                Duration.ofSeconds(40), Duration.ofSeconds(2));
        List<FaultRun> runs = new Drill(lab, plan, new ProgressLine(new PrintStream(System.err), false)).run();
        rogue = runs.stream().filter(r -> r.fault().equals("rogue")).findFirst().orElseThrow();
        partition = runs.stream().filter(r -> r.fault().equals("partition")).findFirst().orElseThrow();
        System.err.println(JsonReport.render(java.util.Map.of("faults", "rogue,partition"), runs));
        if (rogue.addressInUse().map(AddressInUseCheck::held).orElse(false) && partition.splitBrain().isEmpty()
                && partition.restored()) {
            lab.discardRunDirOnClose();
        }
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theForeignClaimIsReported() {
        assertTrue(rogue.reportedMillis().isPresent(), "no ForeignClaim Event within the bound");
    }

    @Test
    void aNewServiceIsMovedOffAnAddressAnotherHostUsesAndNoLaterServiceGetsIt() {
        AddressInUseCheck c = rogue.addressInUse().orElseThrow(() -> new AssertionError("rogue ran without its second half"));
        assertEquals(Optional.of(c.address()), c.firstGiven(), "the controller could not know: it gave the lowest free address");
        assertTrue(c.movedTo().isPresent(), "the Service never left " + c.address());
        assertTrue(c.listedByPool(), "the pool's status did not list " + c.address());
        assertTrue(c.laterService().isPresent(), "the later Service got no address");
        assertFalse(c.givenAfterFound(), "an address found in use was handed out again: " + c);
    }

    @Test
    void anEvenSplitHasOneAnnouncerAndHealsIntoOne() {
        assertEquals(List.of(), partition.splitBrain(), "both nodes claimed the IP during the split");
        assertTrue(partition.settleMillis().isPresent(), "the split never healed into one owner: " + partition.services());
        assertEquals(List.of(), partition.duplicateAnswers(), "two MACs after the split healed");
        assertTrue(partition.restored(), "the Service was not answered after the split healed");
    }

    @Test
    void theServiceIpStayedWithOneNode() {
        assertTrue(rogue.restored(), "the watched Service was not answered after the fault");
    }
}
