package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandoffStateTest {

    private static final IpAddress VIP = ip("198.18.0.200");
    private static final IpAddress VIP2 = ip("198.18.0.201");
    private static final IpAddress VIP6 = ip("2001:db8::200");
    private static final Map<String, List<IpAddress>> NODES = Map.of("a", List.of(ip("198.18.0.11"), ip("2001:db8::11")),
            "b", List.of(ip("198.18.0.12"), ip("2001:db8::12")), "c", List.of(ip("198.18.0.13")));
    private static final Instant T0 = Instant.parse("2026-12-01T20:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(300);

    @Test
    void takingAnIpFromAnotherNodeOpensAWindowFromThatNode() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        HandoffState.Change c = s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        HandoffWindow w = new HandoffWindow(VIP, "a", ip("198.18.0.11"), T0, T0.plus(WINDOW));
        assertEquals(List.of(w), c.opened());
        assertEquals(Map.of(VIP, w), s.windows());
        assertEquals(T0.plus(WINDOW), s.nextDeadline().orElseThrow());
    }

    @Test
    void keepingOrNeverHavingAnIpOpensNothing() {
        HandoffState s = seeded("b", Map.of(VIP, "b"));
        assertTrue(s.update(Map.of(VIP, "b", VIP2, "c"), Map::of, NODES, T0).isEmpty());
        assertTrue(s.update(Map.of(VIP, "b", VIP2, "a"), Map::of, NODES, T0).isEmpty(), "a move between two other nodes");
        assertTrue(s.windows().isEmpty());
    }

    @Test
    void anIpThatHadNoOwnerOpensNothing() {
        HandoffState s = new HandoffState("b", WINDOW);
        assertTrue(s.update(Map.of(VIP, "b"), Map::of, NODES, T0).isEmpty());
    }

    @Test
    void anIpWithoutOwnerForAWhileKeepsItsLastOwner() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        assertTrue(s.update(Map.of(), Map::of, NODES, T0).isEmpty());
        assertEquals("a", s.update(Map.of(VIP, "b"), Map::of, NODES, T0).opened().get(0).fromNode());
    }

    @Test
    void theElectionWithoutSelfIsOnlyAskedForIpsWithoutHistory() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), () -> {
            throw new AssertionError("asked although the owner was known");
        }, NODES, T0);
        assertEquals("a", s.windows().get(VIP).fromNode());
    }

    @Test
    void aFreshSpeakerHandsBackWhatTheOthersHeldWhileItWasAway() {
        // a speaker that just started knows no owners yet: the election without itself tells
        // who announced while it was down
        HandoffState s = new HandoffState("a", WINDOW);
        HandoffState.Change c = s.update(Map.of(VIP, "a", VIP2, "c"), () -> Map.of(VIP, "b", VIP2, "c"), NODES, T0);
        assertEquals(1, c.opened().size());
        assertEquals("b", s.windows().get(VIP).fromNode());
    }

    @Test
    void aNewAddressAfterTheFirstElectionOpensNoWindow() {
        // a running speaker gains a new Service's IP: nobody holds flows of it, so no window,
        // and the election without this node is not even asked
        HandoffState s = new HandoffState("a", WINDOW);
        s.update(Map.of(VIP2, "c"), Map::of, NODES, T0);
        HandoffState.Change c = s.update(Map.of(VIP, "a", VIP2, "c"), () -> {
            throw new AssertionError("asked for an IP that is new");
        }, NODES, T0.plusSeconds(1));
        assertTrue(c.isEmpty());
        assertTrue(s.windows().isEmpty());
    }

    @Test
    void anUpdateThatElectsNobodyDoesNotEndTheFreshStart() {
        // a speaker that sees only itself at first elects nobody (minority); the election without
        // it is still asked once it sees the others
        HandoffState s = new HandoffState("a", WINDOW);
        s.update(Map.of(), Map::of, NODES, T0);
        HandoffState.Change c = s.update(Map.of(VIP, "a"), () -> Map.of(VIP, "b"), NODES, T0.plusSeconds(1));
        assertEquals("b", c.opened().get(0).fromNode());
    }

    @Test
    void aNodeBackFromTheMinorityTakesItsIpsBackFromTheInterimOwnerWithAWindow() {
        // b owned VIP, lost its link and withheld (elected nobody) while a held VIP; back, b
        // owns VIP again, which its own history alone would take for an IP it never lost
        HandoffState s = seeded("b", Map.of(VIP, "b", VIP2, "c"));
        s.update(Map.of(), Map::of, NODES, T0);
        s.sidelined();
        HandoffState.Change c = s.update(Map.of(VIP, "b", VIP2, "c"), () -> Map.of(VIP, "a", VIP2, "c"), NODES,
                T0.plusSeconds(5));
        assertEquals(List.of(new HandoffWindow(VIP, "a", ip("198.18.0.11"), T0.plusSeconds(5), T0.plusSeconds(5).plus(WINDOW))),
                c.opened());
        // from then on its own history counts again
        assertTrue(s.update(Map.of(VIP, "b", VIP2, "c"), () -> {
            throw new AssertionError("asked although the owners were known");
        }, NODES, T0.plusSeconds(6)).isEmpty());
    }

    @Test
    void theWindowSurvivesThePreviousOwnerLeavingTheMembership() {
        // a drained or crashed speaker leaves its node's kube-proxy and conntrack running
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        assertTrue(s.update(Map.of(VIP, "b"), Map::of, NODES, T0.plusSeconds(1)).isEmpty());
        assertEquals(1, s.windows().size());
    }

    @Test
    void windowEndsWhenItsTimeIsUp() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        assertTrue(s.expire(T0.plus(WINDOW).minusMillis(1)).closed().isEmpty());
        HandoffState.Change c = s.expire(T0.plus(WINDOW));
        assertEquals(HandoffState.Reason.EXPIRED, c.closed().get(0).reason());
        assertTrue(s.windows().isEmpty());
    }

    @Test
    void expiryIsAlsoNoticedOnARecompute() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        HandoffState.Change c = s.update(Map.of(VIP, "b"), Map::of, NODES, T0.plus(WINDOW).plusSeconds(1));
        assertEquals(HandoffState.Reason.EXPIRED, c.closed().get(0).reason());
    }

    @Test
    void windowEndsWhenThisNodeLosesTheIp() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        HandoffState.Change c = s.update(Map.of(VIP, "a"), Map::of, NODES, T0.plusSeconds(5));
        assertEquals(HandoffState.Reason.IP_LOST, c.closed().get(0).reason());
        assertTrue(c.opened().isEmpty());
        assertTrue(s.windows().isEmpty());
    }

    @Test
    void windowEndsWhenTheIpLosesEveryOwner() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        assertEquals(HandoffState.Reason.IP_LOST, s.update(Map.of(), Map::of, NODES, T0).closed().get(0).reason());
    }

    @Test
    void windowEndsWhenThePreviousOwnersNodeIsGone() {
        HandoffState s = seeded("c", Map.of(VIP, "a", VIP2, "b"));
        s.update(Map.of(VIP, "c", VIP2, "c"), Map::of, NODES, T0);
        HandoffState.Change c = s.nodesGone(Set.of("a"));
        assertEquals(1, c.closed().size());
        assertEquals(HandoffState.Reason.NODE_GONE, c.closed().get(0).reason());
        assertEquals(Set.of(VIP2), s.windows().keySet());
    }

    @Test
    void failbackOnTheReturningNodeHandsFlowsToTheInterimOwner() {
        HandoffState a = seeded("a", Map.of(VIP, "a"));
        HandoffState b = seeded("b", Map.of(VIP, "a"));
        // a drained: b takes over
        a.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        b.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        // a is back: the IP fails back; a hands b's flows to b, b's window ends
        HandoffState.Change onA = a.update(Map.of(VIP, "a"), Map::of, NODES, T0.plusSeconds(10));
        HandoffState.Change onB = b.update(Map.of(VIP, "a"), Map::of, NODES, T0.plusSeconds(10));
        assertEquals("b", onA.opened().get(0).fromNode());
        assertEquals(HandoffState.Reason.IP_LOST, onB.closed().get(0).reason());
    }

    @Test
    void aNewerMoveReplacesTheWindow() {
        HandoffState s = seeded("c", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "c"), Map::of, NODES, T0);
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0.plusSeconds(1));
        HandoffState.Change c = s.update(Map.of(VIP, "c"), Map::of, NODES, T0.plusSeconds(2));
        assertEquals("b", s.windows().get(VIP).fromNode());
        assertEquals(T0.plusSeconds(2).plus(WINDOW), s.windows().get(VIP).until());
        assertEquals(1, c.opened().size());
    }

    @Test
    void anIpv6IpIsHandedOffThroughThePreviousOwnersIpv6Address() {
        HandoffState s = seeded("b", Map.of(VIP6, "a", VIP, "a"));
        HandoffState.Change c = s.update(Map.of(VIP6, "b", VIP, "b"), Map::of, NODES, T0);
        assertEquals(Set.of(new HandoffWindow(VIP, "a", ip("198.18.0.11"), T0, T0.plus(WINDOW)),
                new HandoffWindow(VIP6, "a", ip("2001:db8::11"), T0, T0.plus(WINDOW))), Set.copyOf(c.opened()));
    }

    @Test
    void nodesWithoutAnAddressOfTheFamilyGetNoWindowAndSayWhy() {
        HandoffState s = seeded("b", Map.of(VIP6, "c", VIP, "x"));
        HandoffState.Change c = s.update(Map.of(VIP6, "b", VIP, "b"), Map::of, NODES, T0);
        assertTrue(c.opened().isEmpty());
        assertEquals(2, c.skipped().size());
        assertTrue(c.skipped().stream().anyMatch(k -> k.reason().equals("node c has no IPv6 InternalIP")), c.skipped().toString());
        assertTrue(c.skipped().stream().anyMatch(k -> k.reason().equals("node x has no IPv4 InternalIP")), c.skipped().toString());
    }

    @Test
    void aFamilyThatIsOffHereGetsNoWindowAndSaysWhy() {
        HandoffState s = new HandoffState("b", WINDOW, Map.of(IpFamily.IPv6, "IPv6 forwarding is off"));
        s.update(Map.of(VIP6, "a", VIP, "a"), Map::of, NODES, T0.minusSeconds(60));
        HandoffState.Change c = s.update(Map.of(VIP6, "b", VIP, "b"), Map::of, NODES, T0);
        assertEquals(List.of(VIP), c.opened().stream().map(HandoffWindow::ip).toList());
        assertEquals(List.of(new HandoffState.Skipped(VIP6, "a", "IPv6 forwarding is off")), c.skipped());
    }

    @Test
    void closeAllEmptiesTheState() {
        HandoffState s = seeded("b", Map.of(VIP, "a"));
        s.update(Map.of(VIP, "b"), Map::of, NODES, T0);
        assertEquals(1, s.closeAll().size());
        assertTrue(s.windows().isEmpty());
    }

    @Test
    void refusesAWindowThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> new HandoffState("b", Duration.ZERO));
    }

    /** A state whose last recompute gave {@code owners}. */
    private static HandoffState seeded(String self, Map<IpAddress, String> owners) {
        HandoffState s = new HandoffState(self, WINDOW);
        HandoffState.Change c = s.update(owners, Map::of, NODES, T0.minusSeconds(60));
        assertTrue(c.opened().isEmpty());
        return s;
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
