package dev.ferrite.speaker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeaseObservationsTest {

    private static final long S = 1_000_000_000L;
    private final LeaseObservations leases = new LeaseObservations();

    @Test
    void aLeaseExpiresOnlyAfterItsVersionStayedTheSameForTheWholeTime() {
        leases.observeAll(Map.of("a", "1", "b", "7"), 0);
        leases.observeAll(Map.of("a", "2", "b", "7"), 10 * S);
        assertEquals(Set.of("b"), leases.unchangedFor(10 * S, 10 * S));
        assertFalse(leases.unchangedFor("a", 10 * S, 19 * S));
        assertTrue(leases.unchangedFor("a", 10 * S, 20 * S));
    }

    @Test
    void aLeaseSeenForTheFirstTimeCountsFromNowNotFromItsRenewTime() {
        leases.observeAll(Map.of("a", "5"), 100 * S);
        assertFalse(leases.unchangedFor("a", 40 * S, 139 * S), "a restarted speaker must not call old Leases expired");
        assertTrue(leases.unchangedFor("a", 40 * S, 140 * S));
    }

    @Test
    void aLeaseMissingFromACompleteReadIsForgotten() {
        leases.observeAll(Map.of("a", "1", "b", "1"), 0);
        leases.observeAll(Map.of("a", "1"), S);
        assertEquals(Set.of("a"), leases.names());
        assertFalse(leases.unchangedFor("b", 0, 2 * S));
    }

    @Test
    void onlyAChangeWeSawMakesALeaseLookAlive() {
        leases.observe("tiebreak", "3", 0);
        assertFalse(leases.changedWithin("tiebreak", 3 * S, S), "the first version seen may be abandoned");
        leases.observe("tiebreak", "4", 2 * S);
        assertTrue(leases.changedWithin("tiebreak", 3 * S, 4 * S));
        assertFalse(leases.changedWithin("tiebreak", 3 * S, 5 * S));
    }

    @Test
    void aVersionThatWonARaceAgainstUsLooksAliveEvenWhenItIsTheFirstWeSee() {
        leases.observeWritten("tiebreak", "3", 10 * S);
        assertTrue(leases.changedWithin("tiebreak", 3 * S, 12 * S), "its writer just beat our write: alive");
        assertFalse(leases.changedWithin("tiebreak", 3 * S, 13 * S), "and then ages like any other change");
        leases.observe("tiebreak", "3", 14 * S);
        assertTrue(leases.unchangedFor("tiebreak", 4 * S, 14 * S), "a later read of the same version keeps its first sight");
    }
}
