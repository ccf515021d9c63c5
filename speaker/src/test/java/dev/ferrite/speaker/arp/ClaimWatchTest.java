package dev.ferrite.speaker.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ClaimWatchTest {

    private static final long S = 1_000_000_000L;
    private static final MacAddress OURS = MacAddress.parse("02:00:00:00:00:01").orElseThrow();
    private static final MacAddress MEMBER = MacAddress.parse("02:00:00:00:00:02").orElseThrow();
    private static final MacAddress ROGUE = MacAddress.parse("02:00:00:00:00:99").orElseThrow();
    private static final IpAddress VIP = ip("198.18.0.200");
    private static final IpAddress NEW = ip("198.18.0.201");
    private static final IpAddress VIP6 = ip("2001:db8::200");
    private static final IpAddress CLIENT = ip("198.18.0.10");

    private final ClaimWatch watch = new ClaimWatch(10 * S);
    private final Predicate<MacAddress> ours = OURS::equals;
    private final Predicate<MacAddress> member = MEMBER::equals;
    private final Predicate<IpAddress> announced = Set.of(VIP, VIP6)::contains;
    private final Predicate<IpAddress> probing = NEW::equals;

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    private ClaimWatch.Verdict see(byte[] frame, long now) {
        return watch.observe(FrameCodec.decode(frame), ours, member, announced, probing, now);
    }

    @Test
    void aForeignArpReplyGratuitousArpOrAdvertisementForOurIpIsAClaim() {
        for (byte[] f : new byte[][] {
                FrameCodec.arpReply(ROGUE, VIP, OURS, CLIENT),
                FrameCodec.gratuitousArpRequest(ROGUE, VIP),
                FrameCodec.gratuitousArpReply(ROGUE, VIP),
                FrameCodec.arpRequest(ROGUE, VIP, CLIENT),
                FrameCodec.unsolicitedNeighborAdvertisement(ROGUE, VIP6)}) {
            ClaimWatch fresh = new ClaimWatch(10 * S);
            ClaimWatch.Verdict v = fresh.observe(FrameCodec.decode(f), ours, member, announced, probing, 0);
            ClaimWatch.ForeignClaim c = assertInstanceOf(ClaimWatch.ForeignClaim.class, v, v.toString());
            assertEquals(ROGUE, c.mac());
            assertTrue(c.defend(), "the first claim is defended at once");
        }
    }

    @Test
    void ourOwnFramesAndClusterMembersAreNoForeignClaim() {
        assertInstanceOf(ClaimWatch.Nothing.class, see(FrameCodec.gratuitousArpReply(OURS, VIP), 0));
        assertInstanceOf(ClaimWatch.MemberClaim.class, see(FrameCodec.gratuitousArpReply(MEMBER, VIP), 0),
                "a member's claim is a handover: its new owner has started");
        assertInstanceOf(ClaimWatch.Nothing.class, see(FrameCodec.arpRequest(ROGUE, CLIENT, VIP), 0),
                "a client asking for our IP claims nothing");
        assertInstanceOf(ClaimWatch.Nothing.class, see(FrameCodec.gratuitousArpReply(ROGUE, CLIENT), 0),
                "an IP we do not announce is none of our business");
    }

    @Test
    void defenceIsRateLimitedSoTwoDefendersNeverPingPong() {
        ClaimWatch.ForeignClaim first = (ClaimWatch.ForeignClaim) see(FrameCodec.gratuitousArpReply(ROGUE, VIP), 0);
        ClaimWatch.ForeignClaim second = (ClaimWatch.ForeignClaim) see(FrameCodec.gratuitousArpReply(ROGUE, VIP), S);
        ClaimWatch.ForeignClaim later = (ClaimWatch.ForeignClaim) see(FrameCodec.gratuitousArpReply(ROGUE, VIP), 10 * S);
        assertTrue(first.defend());
        assertFalse(second.defend(), "reported, but not re-asserted within the defend interval");
        assertTrue(later.defend());
    }

    @Test
    void anyUseOfAnAddressUnderProbeIsAConflict() {
        assertInstanceOf(ClaimWatch.InUse.class, see(FrameCodec.arpReply(ROGUE, NEW, OURS, ip("0.0.0.0")), 0));
        assertInstanceOf(ClaimWatch.InUse.class, see(FrameCodec.arpProbe(ROGUE, NEW), 0),
                "RFC 5227 §2.1.1: another host probing the same address");
        assertInstanceOf(ClaimWatch.InUse.class, see(FrameCodec.gratuitousArpRequest(ROGUE, NEW), 0));
        assertInstanceOf(ClaimWatch.Nothing.class, see(FrameCodec.arpReply(MEMBER, NEW, OURS, ip("0.0.0.0")), 0),
                "a member answering is no conflict");
    }

    @Test
    void aProbeForAnAddressWeAnnounceIsLeftToTheResponder() {
        assertInstanceOf(ClaimWatch.Nothing.class, see(FrameCodec.arpProbe(ROGUE, VIP), 0));
        assertInstanceOf(ClaimWatch.Nothing.class, see(FrameCodec.duplicateAddressDetection(ROGUE, VIP6), 0));
    }
}
