package dev.ferrite.speaker.arp;

import static dev.ferrite.speaker.arp.Frames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    private static final IpAddress VIP = ip("198.18.0.200");

    @Test
    void aNewClaimAnnouncesOnEveryInterfaceItGets() {
        Claims claims = new Claims();
        Claims.Change c = claims.claim(VIP, Set.of(), Set.of(), Set.of("eth0", "eth1"));
        assertEquals(Set.of("eth0", "eth1"), c.added());
        assertEquals(Set.of(), c.removed());
        assertEquals(Map.of(VIP, Set.of("eth0", "eth1")), claims.announcements());
        assertTrue(claims.ownedOn(VIP, "eth0"));
        assertFalse(claims.ownedOn(VIP, "eth2"));
    }

    @Test
    void claimingTheSameInterfacesAgainChangesNothing() {
        Claims claims = new Claims();
        claims.claim(VIP, Set.of(), Set.of(), Set.of("eth0"));
        assertTrue(claims.unchanged(VIP, Set.of(), Set.of("eth0")));
        assertNull(claims.claim(VIP, Set.of(), Set.of("eth0"), Set.of("eth0")));
    }

    @Test
    void aReopenedInterfaceIsAnnouncedAgain() {
        Claims claims = new Claims();
        claims.claim(VIP, Set.of(), Set.of(), Set.of("eth0"));
        assertFalse(claims.unchanged(VIP, Set.of(), Set.of()), "eth0's capture is gone");
        Claims.Change c = claims.claim(VIP, Set.of(), Set.of(), Set.of("eth0"));
        assertEquals(Set.of("eth0"), c.added());
    }

    @Test
    void movingBetweenInterfacesKeepsTheGenerationAndSaysWhatWasLeft() {
        Claims claims = new Claims();
        long first = claims.claim(VIP, Set.of("eth0"), Set.of(), Set.of("eth0")).generation();
        Claims.Change c = claims.claim(VIP, Set.of("eth1"), Set.of("eth0"), Set.of("eth1"));
        assertEquals(first, c.generation());
        assertEquals(Set.of("eth1"), c.added());
        assertEquals(Set.of("eth0"), c.removed());
        assertTrue(claims.current(VIP, "eth1", first));
        assertFalse(claims.current(VIP, "eth0", first), "a frame scheduled for eth0 is stale");
    }

    @Test
    void aFrameScheduledBeforeAWithdrawalIsStaleAfterTheIpIsClaimedAgain() {
        Claims claims = new Claims();
        long first = claims.claim(VIP, Set.of(), Set.of(), Set.of("eth0")).generation();
        assertEquals(Set.of("eth0"), claims.withdraw(VIP).interfaces());
        assertNull(claims.withdraw(VIP));
        long second = claims.claim(VIP, Set.of(), Set.of("eth0"), Set.of("eth0")).generation();
        assertNotEquals(first, second);
        assertFalse(claims.current(VIP, "eth0", first));
        assertTrue(claims.current(VIP, "eth0", second));
    }
}
