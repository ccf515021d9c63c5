package dev.ferrite.speaker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.speaker.quorum.QuorumDecision.Announce;
import dev.ferrite.speaker.quorum.QuorumDecision.Basis;
import dev.ferrite.speaker.quorum.QuorumDecision.Standing;
import dev.ferrite.speaker.quorum.QuorumDecision.Withhold;
import dev.ferrite.speaker.quorum.QuorumInput.Read;
import dev.ferrite.speaker.quorum.QuorumInput.Unreachable;
import dev.ferrite.speaker.quorum.QuorumInput.Witness;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuorumRuleTest {

    private static final Witness API = new Read(Set.of(), Optional.empty());
    private static final Witness NO_API = new Unreachable("connection refused");

    private static Witness held(String holder) {
        return new Read(Set.of(), Optional.of(holder));
    }

    private static Witness expired(String... nodes) {
        return new Read(Set.of(nodes), Optional.empty());
    }

    /** One row: what node a sees, and what it must decide. */
    record Case(String name, Set<String> expected, Set<String> healthy, Set<String> gone, boolean ownLeaseFresh,
            Witness witness, Object outcome, boolean contend) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case row(String name, Set<String> expected, Set<String> healthy, Set<String> gone, boolean fresh,
            Witness witness, Object outcome) {
        return new Case(name, expected, healthy, gone, fresh, witness, outcome, false);
    }

    static final Set<String> THREE = Set.of("a", "b", "c");
    static final Set<String> TWO = Set.of("a", "b");
    static final Set<String> FOUR = Set.of("a", "b", "c", "d");
    static final Set<String> FIVE = Set.of("a", "b", "c", "d", "e");

    static Stream<Case> cases() {
        return Stream.of(
                row("three nodes, all seen", THREE, THREE, Set.of(), true, API, Basis.FULL_VIEW),
                row("three nodes, all seen, API down and own Lease stale: nobody else exists", THREE, THREE, Set.of(),
                        false, NO_API, Basis.FULL_VIEW),
                row("three nodes, one silent: the majority side announces", THREE, Set.of("a", "b"), Set.of(), true,
                        API, Basis.MAJORITY),
                row("three nodes, one silent, API down, own Lease still fresh: majority announces", THREE,
                        Set.of("a", "b"), Set.of(), true, NO_API, Basis.MAJORITY),
                row("three nodes, one silent, API down past the fence time: fenced", THREE, Set.of("a", "b"), Set.of(),
                        false, NO_API, Standing.FENCED),
                row("three nodes, partition minority with the API: the others' Leases are fresh", THREE, Set.of("a"),
                        Set.of(), true, API, Standing.MINORITY),
                row("three nodes, partition minority without the API", THREE, Set.of("a"), Set.of(), true, NO_API,
                        Standing.MINORITY),
                row("three nodes, both others suspected: suspects are not counted as seen", THREE, Set.of("a"),
                        Set.of(), true, API, Standing.MINORITY),
                row("three nodes, two crashed (ports unreachable): the survivor announces at once", THREE, Set.of("a"),
                        Set.of("b", "c"), true, API, Basis.FULL_VIEW),
                row("three nodes, two crashed, API down: the survivor still announces", THREE, Set.of("a"),
                        Set.of("b", "c"), false, NO_API, Basis.FULL_VIEW),
                row("three nodes, two silent past the Lease expiry: the survivor announces", THREE, Set.of("a"),
                        Set.of(), true, expired("b", "c"), Basis.FULL_VIEW),
                new Case("three nodes, two silent, one expired: even split, tiebreak free: contend", THREE,
                        Set.of("a"), Set.of(), true, expired("b"), Standing.EVEN_SPLIT, true),
                row("three nodes, one crashed, one silent: even split decided by the tiebreak", THREE, Set.of("a"),
                        Set.of("b"), true, held("a"), Basis.TIEBREAK),
                row("an expired Lease of a member in view changes nothing (it lost only the API)", THREE,
                        Set.of("a", "b"), Set.of(), true, expired("b"), Basis.MAJORITY),
                row("two nodes, peer crashed: the survivor announces at once", TWO, Set.of("a"), Set.of("b"), true,
                        API, Basis.FULL_VIEW),
                row("two nodes, peer left gracefully", TWO, Set.of("a"), Set.of("b"), true, NO_API, Basis.FULL_VIEW),
                new Case("two nodes, split, tiebreak free: contend", TWO, Set.of("a"), Set.of(), true, API,
                        Standing.EVEN_SPLIT, true),
                row("two nodes, split, this node holds the tiebreak", TWO, Set.of("a"), Set.of(), true, held("a"),
                        Basis.TIEBREAK),
                row("two nodes, split, the peer holds the tiebreak", TWO, Set.of("a"), Set.of(), true, held("b"),
                        Standing.EVEN_SPLIT),
                row("two nodes, split, API down: nobody breaks the tie", TWO, Set.of("a"), Set.of(), true, NO_API,
                        Standing.EVEN_SPLIT),
                row("two nodes, split, own Lease stale: fenced before the tie is considered", TWO, Set.of("a"),
                        Set.of(), false, held("a"), Standing.FENCED),
                row("two nodes, peer silent past the Lease expiry", TWO, Set.of("a"), Set.of(), true, expired("b"),
                        Basis.FULL_VIEW),
                row("four nodes, 2|2, a side member holds the tiebreak", FOUR, Set.of("a", "b"), Set.of(), true,
                        held("b"), Basis.TIEBREAK),
                row("four nodes, 2|2, the other side holds the tiebreak", FOUR, Set.of("a", "b"), Set.of(), true,
                        held("c"), Standing.EVEN_SPLIT),
                row("four nodes, 3|1, majority side", FOUR, Set.of("a", "b", "c"), Set.of(), true, API, Basis.MAJORITY),
                row("four nodes, 3|1, the lone one with the tiebreak still does not announce", FOUR, Set.of("a"),
                        Set.of(), true, held("a"), Standing.MINORITY),
                row("five nodes, three silent, one expired: 2 of 4, tiebreak decides", FIVE, Set.of("a", "b"),
                        Set.of(), true, new Read(Set.of("c"), Optional.of("a")), Basis.TIEBREAK),
                row("a member seen in the view but not yet in the API counts", Set.of("a"), Set.of("a", "b"), Set.of(),
                        true, API, Basis.FULL_VIEW),
                row("a gone member back in the view counts again", TWO, TWO, Set.of("b"), true, API, Basis.FULL_VIEW),
                row("healed: the minority sees everybody again", THREE, THREE, Set.of(), true, held("b"),
                        Basis.FULL_VIEW));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decidesEveryCase(Case c) {
        QuorumDecision d = QuorumRule.decide(new QuorumInput("a", c.expected(), c.healthy(), c.gone(),
                c.ownLeaseFresh(), c.witness(), true));
        if (c.outcome() instanceof Basis basis) {
            Announce a = assertInstanceOf(Announce.class, d, d.reason());
            assertEquals(basis, a.basis(), d.reason());
        } else {
            Withhold w = assertInstanceOf(Withhold.class, d, d.reason());
            assertEquals(c.outcome(), w.standing(), d.reason());
            assertEquals(c.contend(), w.contend(), d.reason());
        }
        assertTrue(d.reason().contains("node a"), d.reason());
    }

    @Test
    void aLoneSpeakerThatNeverReadTheApiWaits() {
        QuorumDecision d = QuorumRule.decide(new QuorumInput("a", Set.of(), Set.of("a"), Set.of(), false, NO_API, false));
        assertInstanceOf(Withhold.class, d);
        assertTrue(d.reason().contains("has not read"), d.reason());
        QuorumDecision single = QuorumRule.decide(new QuorumInput("a", Set.of("a"), Set.of("a"), Set.of(), true, API, true));
        assertInstanceOf(Announce.class, single, "a one-node cluster known from the API announces");
    }

    @Test
    void reasonsNameTheMissingSpeakersAndTheCount() {
        QuorumDecision d = QuorumRule.decide(new QuorumInput("a", THREE, Set.of("a"), Set.of(), true, API, true));
        assertTrue(d.reason().contains("1 of 3") && d.reason().contains("[b, c]"), d.reason());
        assertEquals(3, d.counted());
        assertEquals(1, d.seen());
    }

    /**
     * The property the rule exists for: split any cluster into two sides that cannot hear each
     * other, give each side the API or not, let expiry and the tiebreak be what they can be in
     * that world, and at most one side announces.
     */
    @Test
    void noSplitEverLetsBothSidesAnnounce() {
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            int n = 2 + random.nextInt(7);
            List<String> nodes = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                nodes.add("n" + j);
            }
            Set<String> left = new TreeSet<>();
            Set<String> right = new TreeSet<>();
            Set<String> crashed = new TreeSet<>();
            for (String node : nodes) {
                int r = random.nextInt(10);
                (r == 0 ? crashed : r < 5 ? left : right).add(node);
            }
            if (left.isEmpty() || right.isEmpty()) {
                continue;
            }
            boolean leftApi = random.nextBoolean();
            boolean rightApi = random.nextBoolean();
            // How long the split has lasted: before the fence time, between fence and expiry, after expiry.
            int phase = random.nextInt(3);
            Optional<String> holder = Optional.empty();
            if (leftApi && rightApi) {
                int h = random.nextInt(3);
                holder = h == 0 ? Optional.empty() : Optional.of((h == 1 ? left : right).iterator().next());
            } else if (leftApi || rightApi) {
                holder = random.nextBoolean() ? Optional.empty() : Optional.of((leftApi ? left : right).iterator().next());
            }
            boolean leftAnnounces = anyAnnounces(nodes, left, right, crashed, leftApi, rightApi, phase, holder);
            boolean rightAnnounces = anyAnnounces(nodes, right, left, crashed, rightApi, leftApi, phase, holder);
            assertFalse(leftAnnounces && rightAnnounces, "both sides announce: " + left + " | " + right + ", crashed "
                    + crashed + ", API " + leftApi + "/" + rightApi + ", phase " + phase + ", tiebreak " + holder);
        }
    }

    private static boolean anyAnnounces(List<String> nodes, Set<String> side, Set<String> other, Set<String> crashed,
            boolean api, boolean otherApi, int phase, Optional<String> holder) {
        // The other side's Leases are expired only after the expiry time, and only if it lost the API.
        Set<String> expired = new TreeSet<>(crashed);
        if (phase == 2 && !otherApi) {
            expired.addAll(other);
        }
        boolean fresh = api || phase == 0;
        Witness w = api ? new Read(expired, holder.filter(h -> true)) : NO_API;
        for (String self : side) {
            QuorumDecision d = QuorumRule.decide(new QuorumInput(self, Set.copyOf(nodes), side, crashed, fresh, w, true));
            if (d instanceof Announce) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyPartitionOfFourOrFewerNodesWithTheApiHasExactlyOneSideAnnouncingOnceTheTieIsBroken() {
        // 2|1 and 3|1 (majority), 1|1 and 2|2 (tiebreak held by the left side).
        int[][] splits = {{2, 1}, {3, 1}, {1, 1}, {2, 2}};
        for (int[] s : splits) {
            Set<String> all = new TreeSet<>();
            Set<String> left = new TreeSet<>();
            Set<String> right = new TreeSet<>();
            for (int i = 0; i < s[0] + s[1]; i++) {
                (i < s[0] ? left : right).add("n" + i);
                all.add("n" + i);
            }
            Witness w = held(left.iterator().next());
            boolean l = anyOf(all, left, w);
            boolean r = anyOf(all, right, w);
            assertTrue(l ^ r, s[0] + "|" + s[1] + ": left " + l + ", right " + r);
        }
    }

    private static boolean anyOf(Set<String> all, Set<String> side, Witness w) {
        return side.stream().anyMatch(self -> QuorumRule.decide(
                new QuorumInput(self, all, side, Set.of(), true, w, true)) instanceof Announce);
    }
}
