package dev.ferrite.speaker.membership;

import static dev.ferrite.speaker.membership.MemberStatus.ALIVE;
import static dev.ferrite.speaker.membership.MemberStatus.DEAD;
import static dev.ferrite.speaker.membership.MemberStatus.LEFT;
import static dev.ferrite.speaker.membership.MemberStatus.SUSPECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MemberTableTest {
    private static final MemberTable.Timing TIMING = new MemberTable.Timing(600, 200, 60_000, 3, 3);

    private static Member m(String name, long inc, MemberStatus status) {
        return new Member(name, new InetSocketAddress("127.0.0.1", 7000 + Math.abs(name.hashCode() % 1000)), inc, status);
    }

    /** A table that has been running for a while (past its startup grace) at time 0. */
    private static MemberTable table(String self, String... others) {
        MemberTable t = new MemberTable(m(self, 1, ALIVE), TIMING, new SplittableRandom(1));
        for (long now = -2_000; now < 0; now += 20) {
            t.tick(now, 0);
        }
        for (String o : others) {
            t.apply(m(o, 1, ALIVE), 0);
        }
        return t;
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of(m("b", 5, ALIVE), m("b", 6, ALIVE), 6, ALIVE),
                Arguments.of(m("b", 5, ALIVE), m("b", 4, DEAD), 5, ALIVE),
                Arguments.of(m("b", 5, ALIVE), m("b", 5, SUSPECT), 5, SUSPECT),
                Arguments.of(m("b", 5, SUSPECT), m("b", 5, ALIVE), 5, SUSPECT),
                Arguments.of(m("b", 5, SUSPECT), m("b", 6, ALIVE), 6, ALIVE),
                Arguments.of(m("b", 5, SUSPECT), m("b", 5, DEAD), 5, DEAD),
                Arguments.of(m("b", 5, DEAD), m("b", 5, ALIVE), 5, DEAD),
                Arguments.of(m("b", 5, DEAD), m("b", 5, LEFT), 5, DEAD),
                Arguments.of(m("b", 5, LEFT), m("b", 9, ALIVE), 9, ALIVE));
    }

    @ParameterizedTest(name = "holding {0}, claim {1} leaves incarnation {2} {3}")
    @MethodSource("precedence")
    void claimsReplaceByIncarnationThenStatus(Member held, Member claim, long inc, MemberStatus status) {
        MemberTable t = table("a");
        t.apply(held, 0);
        t.apply(claim, 0);
        assertEquals(inc, t.get("b").incarnation());
        assertEquals(status, t.get("b").status());
    }

    /** Ticks every 20 ms, each on time, from {@code from} (exclusive) to {@code to}; returns the news. */
    private static List<Member> ticks(MemberTable t, long from, long to) {
        List<Member> news = new java.util.ArrayList<>();
        for (long now = from + 20; now <= to; now += 20) {
            news.addAll(t.tick(now, 0).news());
        }
        return news;
    }

    @Test
    void silentPredecessorIsSuspectedThenDeclaredDead() {
        MemberTable t = table("a", "b");
        t.tick(0, 0);
        t.heardFrom(m("b", 1, ALIVE), true, 100);
        assertTrue(ticks(t, 0, 680).isEmpty(), "580 ms of silence is not enough");
        MemberTable.Outcome suspected = t.tick(700, 0);
        assertEquals(List.of(m("b", 1, SUSPECT)), suspected.news());
        assertFalse(suspected.viewChanged(), "a suspect stays in the view");
        assertEquals(Set.of("a", "b"), t.liveMembers());
        assertTrue(ticks(t, 700, 880).isEmpty(), "the suspect has 200 ms to refute");
        MemberTable.Outcome dead = t.tick(900, 0);
        assertEquals(List.of(m("b", 1, DEAD)), dead.news());
        assertTrue(dead.viewChanged());
        assertEquals(Set.of("a"), t.liveMembers());
    }

    @Test
    void predecessorThatDoesNotHeartbeatUsYetGetsTwiceTheTime() {
        MemberTable t = table("a", "b");
        t.tick(0, 0);
        t.heardFrom(m("b", 1, ALIVE), false, 100);
        assertTrue(ticks(t, 0, 1_280).isEmpty(), "b may not count a as its successor yet");
        assertEquals(List.of(m("b", 1, SUSPECT)), ticks(t, 1_280, 1_300));
    }

    @Test
    void ticksAtTheNextTimerAloneFireEveryTimerOnTime() {
        MemberTable t = table("a", "b");
        t.tick(0, 0);
        t.heardFrom(m("b", 1, ALIVE), true, 100);
        assertEquals(700, t.nextTimer(100), "b is suspected 600 ms after its last heartbeat");
        assertTrue(t.tick(699, 0).isEmpty());
        assertEquals(List.of(m("b", 1, SUSPECT)), t.tick(700, 0).news(), "a tick 600 ms after the last is no stall");
        assertEquals(900, t.nextTimer(700), "and declared dead after the 200 ms confirm wait");
        assertEquals(List.of(m("b", 1, DEAD)), t.tick(900, 0).news());
        assertEquals(Long.MAX_VALUE, t.nextTimer(900), "nobody left to time");
        assertEquals(0, t.stalls());
    }

    @Test
    void aTickLaterThanPlannedIsAStallAndItsSilenceIsNotHeldAgainstOthers() {
        MemberTable t = table("a", "b");
        t.tick(0, 0);
        t.heardFrom(m("b", 1, ALIVE), true, 100);
        t.tick(200, 0);
        // planned for 200 + 100, run at 900: 600 ms late
        assertTrue(t.tick(900, 600).isEmpty(), "our own stall is not b's silence");
        assertEquals(1, t.stalls());
        assertEquals(List.of(m("b", 1, SUSPECT)), t.tick(1_400, 0).news(), "silence after the stall still counts");
    }

    @Test
    void freshlyStartedMemberAccusesNobody() {
        MemberTable t = new MemberTable(m("a", 1, ALIVE), TIMING, new SplittableRandom(1));
        t.tick(0, 0);
        t.apply(m("b", 1, ALIVE), 0);
        t.heardFrom(m("b", 1, ALIVE), true, 0);
        assertTrue(ticks(t, 0, 1_780).isEmpty(), "the first three suspicion timeouts are a grace period");
        assertEquals(List.of(m("b", 1, SUSPECT)), ticks(t, 1_780, 1_800));
    }

    @Test
    void regularHeartbeatsKeepAMemberAlive() {
        MemberTable t = table("a", "b");
        for (long now = 0; now < 10_000; now += 100) {
            t.heardFrom(m("b", 1, ALIVE), true, now);
            assertTrue(t.tick(now + 50, 0).isEmpty());
        }
        assertEquals(0, t.suspicionsRaised());
    }

    @Test
    void suspectedMemberRefutesWithAHigherIncarnation() {
        MemberTable t = table("a", "b");
        MemberTable.Outcome o = t.apply(m("a", 1, SUSPECT), 10);
        assertEquals(List.of(m("a", 2, ALIVE)), o.news());
        assertEquals(2, t.self().incarnation());
        assertEquals(1, t.refutations());
    }

    @Test
    void suspicionHeardFromOthersWaitsForTheAccusersVerdict() {
        MemberTable t = table("a", "b");
        t.tick(0, 0);
        t.apply(m("b", 1, SUSPECT), 0);
        assertTrue(ticks(t, 0, 780).isEmpty(), "the accuser confirms, not us");
        assertEquals(List.of(m("b", 1, DEAD)), ticks(t, 780, 800), "unless the accuser stays quiet too");
    }

    @Test
    void refutationCancelsTheSuspicionBeforeItIsConfirmed() {
        MemberTable t = table("a", "b");
        t.apply(m("b", 1, SUSPECT), 0);
        t.apply(m("b", 2, ALIVE), 100);
        assertTrue(ticks(t, 100, 1_000).isEmpty());
        assertEquals(Set.of("a", "b"), t.liveMembers());
    }

    @Test
    void closedPortDeclaresTheMemberDeadAtOnce() {
        MemberTable t = table("a", "b", "c");
        MemberTable.Outcome o = t.unreachable("b", 5);
        assertEquals(List.of(m("b", 1, DEAD)), o.news());
        assertTrue(o.viewChanged());
        assertEquals(Set.of("a", "c"), t.liveMembers());
        assertTrue(t.unreachable("b", 6).isEmpty(), "a second report is not news");
    }

    @Test
    void leavingRemovesSelfFromTheView() {
        MemberTable t = table("a", "b");
        MemberTable.Outcome o = t.leave(0);
        assertEquals(List.of(m("a", 1, LEFT)), o.news());
        assertEquals(Set.of("b"), t.liveMembers());
        assertTrue(t.apply(m("a", 1, DEAD), 1).news().isEmpty(), "a member that left does not refute");
    }

    @Test
    void restartedMemberOutranksItsTombstone() {
        MemberTable t = table("a", "b");
        t.unreachable("b", 0);
        MemberTable.Outcome o = t.heardFrom(m("b", 1_700_000_000_000L, ALIVE), true, 50);
        assertTrue(o.viewChanged());
        assertEquals(Set.of("a", "b"), t.liveMembers());
    }

    @Test
    void deadMemberThatStillSpeaksIsToldSo() {
        MemberTable t = table("a", "b");
        t.unreachable("b", 0);
        MemberTable.Outcome o = t.heardFrom(m("b", 1, ALIVE), true, 50);
        assertEquals(List.of(m("b", 1, DEAD)), o.verdicts());
        assertEquals(Set.of("a"), t.liveMembers(), "only a higher incarnation brings it back");
    }

    @Test
    void mergePassesAnotherGroupsDeathClaimToItsSubjectInsteadOfApplyingIt() {
        MemberTable t = table("a", "b");
        MemberTable.Outcome o = t.merge(List.of(m("b", 1, DEAD), m("x", 3, ALIVE)), 0);
        assertEquals(Set.of("a", "b", "x"), t.liveMembers());
        assertEquals(List.of(m("b", 1, DEAD)), o.verdicts());
        assertEquals(List.of(m("x", 3, ALIVE)), o.news());
        t.apply(m("b", 2, ALIVE), 10);
        assertTrue(ticks(t, 0, 1_000).stream().noneMatch(n -> n.name().equals("b")), "b refuted in time");
        assertEquals(Set.of("a", "b", "x"), t.liveMembers());
    }

    @Test
    void deathMissedByGossipIsAppliedFromFullStateIfNobodyRefutes() {
        MemberTable t = table("a", "b", "c");
        t.merge(List.of(m("c", 1, DEAD)), 0);
        assertEquals(Set.of("a", "b", "c"), t.liveMembers(), "not at once");
        ticks(t, 0, 800);
        assertEquals(Set.of("a", "b"), t.liveMembers());
    }

    @Test
    void mergeAboutSelfIsRefuted() {
        MemberTable t = table("a", "b");
        MemberTable.Outcome o = t.merge(List.of(m("a", 1, DEAD)), 0);
        assertEquals(List.of(m("a", 2, ALIVE)), o.news());
        assertEquals(Set.of("a", "b"), t.liveMembers());
    }

    @Test
    void newsIsPiggybackedABoundedNumberOfTimes() {
        MemberTable t = table("a");
        t.apply(m("b", 1, ALIVE), 0);
        int sends = 0;
        while (!t.piggyback(8).isEmpty()) {
            sends++;
            assertTrue(sends < 100, "news must stop being repeated");
        }
        assertEquals(3, sends, "3 x ceil(log10(2 members + 1)) rounds");
    }

    @Test
    void tombstoneIsForgottenAfterItsTimeout() {
        MemberTable t = table("a", "b");
        t.unreachable("b", 0);
        ticks(t, 0, 59_980);
        assertEquals(DEAD, t.get("b").status());
        t.tick(60_000, 0);
        assertEquals(null, t.get("b"));
    }

    @Test
    void eachMemberHeartbeatsAtMostItsMonitorCount() {
        MemberTable t = table("a", "b", "c", "d", "e", "f", "g");
        assertEquals(3, t.heartbeatTargets().size());
        assertEquals(3, t.watched().size());
        assertFalse(t.heartbeatTargets().stream().anyMatch(x -> x.name().equals("a")));
    }

    @Test
    void digestChangesWithTheView() {
        MemberTable one = table("a", "b");
        MemberTable two = table("b", "a");
        assertEquals(one.digest(), two.digest(), "same view, same digest, whoever computes it");
        two.apply(m("c", 1, ALIVE), 0);
        assertFalse(one.digest() == two.digest());
    }
}
