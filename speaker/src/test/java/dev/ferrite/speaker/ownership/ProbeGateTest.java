package dev.ferrite.speaker.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ProbeResult;
import dev.ferrite.speaker.model.ServiceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProbeGateTest {

    private static final IpAddress VIP = IpAddress.parse("198.18.0.200").orElseThrow();
    private static final IpAddress VIP6 = IpAddress.parse("2001:db8::200").orElseThrow();
    private static final ServiceKey WEB = new ServiceKey("default", "web");
    private static final Map<IpAddress, Set<ServiceKey>> SERVICES = Map.of(VIP, Set.of(WEB), VIP6, Set.of(WEB));
    private static final Instant WALL = Instant.parse("2026-12-01T23:00:00Z");
    private static final long S = 1_000_000_000L;

    private static Map<IpAddress, Set<String>> gained(IpAddress... ips) {
        Map<IpAddress, Set<String>> m = new TreeMap<>();
        for (IpAddress ip : ips) {
            m.put(ip, Set.of());
        }
        return m;
    }

    private static OwnershipPlan plan(String owner, IpAddress ip) {
        TreeMap<IpAddress, OwnershipPlan.Decision> ips = new TreeMap<>();
        ips.put(ip, new OwnershipPlan.Owner(owner, Set.of()));
        TreeMap<ServiceKey, java.util.SortedMap<IpAddress, OwnershipPlan.Decision>> by = new TreeMap<>();
        by.put(WEB, ips);
        return new OwnershipPlan(by);
    }

    private static ProbeGate started() {
        ProbeGate gate = new ProbeGate("node-a");
        gate.seed(List.of(), 0);
        return gate;
    }

    @Test
    void anIpNewToTheClusterIsProbedBeforeItIsAnnounced() {
        ProbeGate gate = started();
        ProbeGate.Split split = gate.split(gained(VIP, VIP6), SERVICES, S);
        assertEquals(Set.of(VIP, VIP6), split.probe().keySet());
        assertTrue(split.announce().isEmpty());
    }

    @Test
    void anIpBeingProbedIsHeldNotProbedTwice() {
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        ProbeGate.Split again = gate.split(gained(VIP), SERVICES, 2 * S);
        assertEquals(Set.of(VIP), again.held());
        assertTrue(again.probe().isEmpty() && again.announce().isEmpty());
    }

    @Test
    void aFreeIpIsAnnouncedOnceTheProbeSaysSo() {
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        assertFalse(gate.result(new ProbeResult.Free(VIP), WALL, S + S / 4), "nothing to report for a free IP");
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, S + S / 2).announce().keySet());
    }

    @Test
    void failoverFromAnotherMemberIsNeverProbed() {
        // node-b owned the IP in the last plan (it announced it); node-b dies, node-a gains it
        ProbeGate gate = started();
        gate.remember(plan("node-b", VIP), Set.of(), 10 * S);
        ProbeGate.Split split = gate.split(gained(VIP), SERVICES, 10 * S + ProbeGate.OTHER_OWNED_FOR.toNanos());
        assertEquals(Set.of(VIP), split.announce().keySet());
        assertTrue(split.probe().isEmpty());
    }

    @Test
    void failoverIsNotProbedEvenWhenNoRecomputeHappenedMeanwhile() {
        // plans are recomputed on changes only: node-b has owned it for minutes with no plan in between
        ProbeGate gate = started();
        gate.remember(plan("node-b", VIP), Set.of(), 10 * S);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 300 * S).announce().keySet());
    }

    @Test
    void anIpAnotherMemberOwnedOnlyBrieflyIsProbed() {
        // node-b's probe found it in use and the controller took it off the Service at once: no history
        ProbeGate gate = started();
        gate.remember(plan("node-b", VIP), Set.of(), 10 * S);
        gate.remember(new OwnershipPlan(new TreeMap<>()), Set.of(), 11 * S);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 100 * S).probe().keySet());
    }

    @Test
    void anIpThisNodeAnnouncedIsNotProbedWhenItComesBack() {
        // a quorum flip or a partition withdraws it for a while; getting it back is no new address
        ProbeGate gate = started();
        gate.remember(plan("node-a", VIP), Set.of(VIP), 10 * S);
        gate.remember(new OwnershipPlan(new TreeMap<>()), Set.of(), 20 * S);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 60 * S).announce().keySet());
    }

    @Test
    void thisNodesOwnPlanIsNoHistory() {
        // the plan that makes this node the owner of a new IP must not count as "announced a moment ago"
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        gate.remember(plan("node-a", VIP), Set.of(), S);
        gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth0"), WALL, S + S / 4);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 2 * S).held());
    }

    @Test
    void aSpeakerThatJustStartedTakesWhatTheOthersAnnounceWithoutProbing() {
        // a restart or failback: the other live members own these IPs without this node
        ProbeGate gate = new ProbeGate("node-a");
        gate.seed(List.of(VIP), 5 * S);
        ProbeGate.Split split = gate.split(gained(VIP, VIP6), SERVICES, 5 * S);
        assertEquals(Set.of(VIP), split.announce().keySet());
        assertEquals(Set.of(VIP6), split.probe().keySet(), "an IP no other member owns is new: probed");
    }

    @Test
    void plansBeforeTheSpeakerSeesAnyMemberDoNotPreventTheSeed() {
        // a restarted speaker plans alone before it joins; the seed comes with its first view
        ProbeGate gate = new ProbeGate("node-a");
        gate.remember(plan("node-a", VIP), Set.of(), S);
        assertFalse(gate.seeded());
        gate.seed(List.of(VIP), 2 * S);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 2 * S).announce().keySet());
    }

    @Test
    void historyExpiresAndTheIpIsProbedAgain() {
        ProbeGate gate = started();
        gate.remember(plan("node-b", VIP), Set.of(), 0);
        gate.remember(plan("node-b", VIP), Set.of(), ProbeGate.OTHER_OWNED_FOR.toNanos());
        long later = ProbeGate.HISTORY.toNanos() + ProbeGate.OTHER_OWNED_FOR.toNanos() + S;
        gate.remember(new OwnershipPlan(new TreeMap<>()), Set.of(), later);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, later).probe().keySet());
    }

    @Test
    void anIpInUseIsHeldAndReportedOnItsService() {
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        assertTrue(gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth0"), WALL, S + S / 10));
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 2 * S).held());
        assertEquals(Map.of(WEB, List.of(new AddressConflict(VIP, AddressConflict.Kind.IN_USE, "02:00:00:00:00:99",
                "ARP reply", "eth0", WALL))), gate.conflicts());
        assertEquals(Set.of(VIP), gate.inUse());
    }

    @Test
    void anIpInUseIsProbedAgainAfterTheRecheckAndReleasedWhenFree() {
        ProbeGate gate = started();
        gate.split(Map.of(VIP, Set.of("eth1")), SERVICES, S);
        gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth1"), WALL, S);
        assertTrue(gate.recheckDue(S + ProbeGate.RECHECK.toNanos() / 2).isEmpty(), "not before the recheck interval");
        long due = S + ProbeGate.RECHECK.toNanos();
        assertEquals(Map.of(VIP, Set.of("eth1")), gate.recheckDue(due), "probed again on the same interfaces");
        assertTrue(gate.recheckDue(due).isEmpty(), "being probed: not due twice");
        // still taken: still reported, and the first sighting keeps its time
        assertFalse(gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth1"), WALL.plusSeconds(10), due));
        assertEquals(WALL, gate.conflicts().get(WEB).get(0).since());
        assertEquals(Map.of(VIP, Set.of("eth1")), gate.recheckDue(due + ProbeGate.RECHECK.toNanos()));
        assertTrue(gate.result(new ProbeResult.Free(VIP), WALL.plusSeconds(20), due + ProbeGate.RECHECK.toNanos()),
                "found free: the report changes");
        assertTrue(gate.conflicts().isEmpty());
        assertTrue(gate.inUse().isEmpty());
    }

    @Test
    void anIpInUseStaysReportedAfterItsServiceMovedToAnotherAddress() {
        // the controller gives web another IP: the taken one is still reported on web, so it stays out of allocation
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth0"), WALL, S);
        assertFalse(gate.retainServices(Set.of(WEB)));
        assertEquals(Set.of(WEB), gate.conflicts().keySet());
    }

    @Test
    void aRecordGoesWithTheLastOfItsServices() {
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth0"), WALL, S);
        assertTrue(gate.retainServices(Set.of(new ServiceKey("default", "other"))));
        assertTrue(gate.conflicts().isEmpty());
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 2 * S).probe().keySet(),
                "a new Service getting the address probes it again");
    }

    @Test
    void anAnswerReadAfterTheProbeSaidFreeStillMakesTheIpInUseForItsServices() {
        ProbeGate gate = started();
        gate.split(Map.of(VIP, Set.of("eth0")), SERVICES, S);
        gate.result(new ProbeResult.Free(VIP), WALL, S + S / 4);
        assertTrue(gate.result(new ProbeResult.InUse(VIP, "02:00:00:00:00:99", "ARP reply", "eth0"), WALL, S + S / 2));
        assertEquals(Set.of(WEB), gate.conflicts().keySet());
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, 2 * S).held(), "not announced (the loop withdraws it)");
        assertEquals(Map.of(VIP, Set.of("eth0")), gate.recheckDue(S / 2 + ProbeGate.RECHECK.toNanos() + S));
    }

    @Test
    void aFreeResultIsShortLived() {
        ProbeGate gate = started();
        gate.split(gained(VIP), SERVICES, S);
        gate.result(new ProbeResult.Free(VIP), WALL, S);
        long later = S + Duration.ofMinutes(1).toNanos();
        gate.remember(new OwnershipPlan(new TreeMap<>()), Set.of(), later);
        assertEquals(Set.of(VIP), gate.split(gained(VIP), SERVICES, later).probe().keySet());
    }
}
