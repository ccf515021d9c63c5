package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabMarkerTest {

    @TempDir
    Path root;

    @Test
    void theFirstClaimWinsAndTheSecondSeesWhoHoldsTheLab() {
        LabOwner me = LabOwner.self();
        LabMarker.Claim first = LabMarker.claim(root, "fxlab-abc", me, List.of("fxlab-abc-switch", "fxlab-abc-node1"));
        LabMarker marker = assertInstanceOf(LabMarker.Claim.Claimed.class, first).marker();
        LabMarker.Claim second = LabMarker.claim(root, "fxlab-abc", new LabOwner(1, 1), List.of());
        LabMarker held = assertInstanceOf(LabMarker.Claim.Taken.class, second).existing().orElseThrow();
        assertEquals(me, held.owner());
        assertEquals(List.of("fxlab-abc-switch", "fxlab-abc-node1"), held.namespaces());
        assertTrue(held.owner().isAlive(), "this JVM owns it");
        marker.release();
        assertFalse(Files.exists(root.resolve("fxlab-abc")), "release removes the marker directory");
    }

    @Test
    void anOwnerWhosePidWasReusedCountsAsGone() {
        LabOwner me = LabOwner.self();
        assertFalse(new LabOwner(me.pid(), me.startTicks() + 1).isAlive());
        assertFalse(new LabOwner(Long.MAX_VALUE, 0).isAlive());
    }

    @Test
    void markersAreFoundByPrefix() {
        LabMarker.claim(root, "fxlab-one", LabOwner.self(), List.of("a"));
        LabMarker.claim(root, "other-two", LabOwner.self(), List.of("b"));
        assertEquals(List.of("fxlab-one"), LabMarker.all(root, "fxlab-").stream().map(LabMarker::labName).toList());
    }

    @Test
    void theStartTimeIsReadPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 987654 1000 50";
        assertEquals(987654, LabOwner.startTicksFromStat(stat));
    }
}
