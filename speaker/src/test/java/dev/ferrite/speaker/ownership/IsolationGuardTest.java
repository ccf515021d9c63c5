package dev.ferrite.speaker.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IsolationGuardTest {

    private static final long S = 1_000_000_000L;
    private final IsolationGuard guard = new IsolationGuard("node-a", Duration.ofSeconds(2), Duration.ofSeconds(5), -10 * S);

    @Test
    void aLoneNodeWithoutAuthenticationFailuresKeepsItsIps() {
        assertEquals(Set.of("node-a"), guard.effectiveLive(Set.of("node-a"), 0, 0));
        assertEquals(Set.of("node-a"), guard.effectiveLive(Set.of("node-a"), 0, 10 * S));
        assertFalse(guard.quarantined());
    }

    @Test
    void aLoneNodeRejectingDatagramsAnnouncesNothingUntilTheyStop() {
        guard.effectiveLive(Set.of("node-a"), 0, 0);
        assertEquals(Set.of(), guard.effectiveLive(Set.of("node-a"), 3, S));
        assertTrue(guard.quarantined());
        assertTrue(guard.rejecting());
        assertTrue(guard.reason().contains("node-a") && guard.reason().contains("--membership-secret-file"), guard.reason());
        assertEquals(Set.of(), guard.effectiveLive(Set.of("node-a"), 3, 5 * S), "still within the quiet period");
        assertEquals(Set.of("node-a"), guard.effectiveLive(Set.of("node-a"), 3, 6 * S + 1));
        assertFalse(guard.quarantined());
    }

    @Test
    void failuresWhileOthersAreInTheViewChangeNothing() {
        guard.effectiveLive(Set.of("node-a", "node-b"), 0, 0);
        assertEquals(Set.of("node-a", "node-b"), guard.effectiveLive(Set.of("node-a", "node-b"), 7, S));
        assertFalse(guard.quarantined());
    }

    @Test
    void aJustStartedNodeAloneWaitsBeforeAnnouncing() {
        IsolationGuard fresh = new IsolationGuard("node-a", Duration.ofSeconds(5), Duration.ofSeconds(30), 0);
        assertEquals(Set.of(), fresh.effectiveLive(Set.of("node-a"), 0, S));
        assertTrue(fresh.quarantined());
        assertFalse(fresh.rejecting(), "waiting after start is no operator error");
        assertEquals(Set.of("node-a", "node-b"), fresh.effectiveLive(Set.of("node-a", "node-b"), 0, 2 * S),
                "with company it announces at once");
        assertEquals(Set.of("node-a"), fresh.effectiveLive(Set.of("node-a"), 0, 5 * S + 1));
    }

    @Test
    void failuresCountedBeforeTheFirstLookAreNotHeldAgainstTheNode() {
        assertEquals(Set.of("node-a"), guard.effectiveLive(Set.of("node-a"), 12, 0));
        assertFalse(guard.quarantined());
    }
}
