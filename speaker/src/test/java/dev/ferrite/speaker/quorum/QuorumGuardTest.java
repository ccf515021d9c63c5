package dev.ferrite.speaker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuorumGuardTest {

    private static final long MS = 1_000_000L;
    private static final Set<String> TWO = Set.of("a", "b");
    private final QuorumGuard guard = new QuorumGuard("a", 1000 * MS);

    private static LeaseWitness.State read(long reads, Set<String> expected, Optional<String> tiebreak) {
        return new LeaseWitness.State(expected, true, reads, true, new QuorumInput.Read(Set.of(), tiebreak));
    }

    @Test
    void aWholeViewAnnouncesWithTheLiveSet() {
        assertEquals(TWO, guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0));
        assertFalse(guard.withholding());
        assertEquals("full_view", guard.state());
    }

    @Test
    void whileContendingForTheTiebreakAnAnnouncingNodeKeepsItsElectorateThenWinsOrStops() {
        guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0);
        // b falls silent: suspected (still live), not healthy
        assertEquals(TWO, guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 10 * MS),
                "keeps what it had while the race is on");
        assertTrue(guard.evenSplit());
        assertEquals(TWO, guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(2, TWO, Optional.of("a")),
                50 * MS), "won, but b may still announce its IPs for its own hold: a takes nothing over yet");
        assertEquals("tiebreak", guard.state());
        assertEquals(TWO, guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(3, TWO, Optional.of("a")),
                1309 * MS), "hold and margin since the split (at 10 ms) not over yet");
        assertTrue(guard.contending(), "the end of the wait must be acted on at once");
        assertEquals(Set.of("a"), guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(3, TWO, Optional.of("a")),
                1310 * MS), "b has surely stopped: a announces with the live set");
        assertFalse(guard.contending());
    }

    @Test
    void aNodeThatWinsAfterItsHoldRanOutAnnouncesNothingUntilTheOtherSideHasStopped() {
        guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0);
        guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 10 * MS);
        assertEquals(Set.of(), guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 1011 * MS));
        assertEquals(Set.of(), guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(2, TWO, Optional.of("a")),
                1200 * MS), "won late: still nothing, b may be inside its hold");
        assertFalse(guard.withholding(), "the decision is to announce; only the takeover waits");
        assertEquals(Set.of("a"), guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(2, TWO, Optional.of("a")),
                1600 * MS));
    }

    @Test
    void withholdingEndsTheWait() {
        guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0);
        guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 10 * MS);
        guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(2, TWO, Optional.of("a")), 50 * MS);
        assertTrue(guard.contending());
        assertEquals(Set.of(), guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(3, TWO, Optional.of("b")),
                100 * MS), "the tiebreak is b's now");
        assertFalse(guard.contending(), "nothing left to wait for");
    }

    @Test
    void aWholeViewAgainEndsTheWaitAtOnce() {
        guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0);
        guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 10 * MS);
        guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(2, TWO, Optional.of("a")), 50 * MS);
        assertEquals(TWO, guard.electorate(TWO, TWO, Set.of(), read(3, TWO, Optional.of("a")), 300 * MS));
        assertEquals("full_view", guard.state());
    }

    @Test
    void aNodeThatDoesNotWinTheTiebreakWithinTheHoldStops() {
        guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0);
        guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 10 * MS);
        assertEquals(Set.of(), guard.electorate(TWO, Set.of("a"), Set.of(), read(1, TWO, Optional.empty()), 1011 * MS));
        assertEquals(Set.of(), guard.electorate(Set.of("a"), Set.of("a"), Set.of(), read(2, TWO, Optional.of("b")),
                1100 * MS), "the other side holds it");
        assertTrue(guard.withholding());
    }

    @Test
    void aSilentPeerIsRememberedUntilTheApiShowsItHasNoLease() {
        guard.electorate(TWO, TWO, Set.of(), read(1, Set.of("a"), Optional.empty()), 0);
        assertEquals(Set.of(), guard.electorate(Set.of("a"), Set.of("a"), Set.of(), new LeaseWitness.State(Set.of("a"), true,
                1, true, new QuorumInput.Unreachable("down")), 2000 * MS), "b is remembered without the API");
        assertEquals(Set.of("a"), guard.electorate(Set.of("a"), Set.of("a"), Set.of(),
                read(2, Set.of("a"), Optional.empty()), 3000 * MS), "a fresh read without b's Lease forgets b");
    }

    @Test
    void aCrashedPeerIsNotWaitedFor() {
        guard.electorate(TWO, TWO, Set.of(), read(1, TWO, Optional.empty()), 0);
        assertEquals(Set.of("a"), guard.electorate(Set.of("a"), Set.of("a"), Set.of("b"),
                new LeaseWitness.State(TWO, true, 1, false, new QuorumInput.Unreachable("down")), 100 * MS));
    }
}
