package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Notices anybody else on the link claiming an address we announce or are about to announce,
 * by the conflict rules of RFC 5227 §2.1.1 and §2.4 (and their IPv6 counterparts, RFC 4862
 * §5.4): any ARP packet whose sender IP is the address, any Neighbor Advertisement for it, any
 * Neighbor Solicitation sent from it, with a MAC that is neither ours nor a cluster member's
 * (a member's claim is a handover, which the quorum rule keeps single). While an address is
 * being probed, another host's probe for it (sender IP 0.0.0.0, or DAD from ::) is a conflict
 * too. Defending an announced address (re-sending our gratuitous announcements) is allowed
 * once per {@code defendInterval} per address, RFC 5227's DEFEND_INTERVAL, so two hosts that
 * both defend never ping-pong faster than that. Pure: times are passed in.
 */
public final class ClaimWatch {

    /** What a frame means for our addresses. */
    public sealed interface Verdict {
    }

    /** Nothing about our addresses, or a claim by us or a cluster member. */
    public record Nothing() implements Verdict {
    }

    /**
     * {@code mac} claims {@code ip}, which we announce. {@code defend}: re-assert now (the
     * rate limit allows it); otherwise only report.
     */
    public record ForeignClaim(IpAddress ip, MacAddress mac, String how, boolean defend) implements Verdict {
    }

    /**
     * A cluster member ({@code mac}) claims {@code ip}, which we announce: the new owner of a
     * handover has started, so we may stop.
     */
    public record MemberClaim(IpAddress ip, MacAddress mac, String how) implements Verdict {
    }

    /** {@code mac} uses {@code ip}, which we are probing before a first announcement: do not announce it. */
    public record InUse(IpAddress ip, MacAddress mac, String how) implements Verdict {
    }

    private static final Verdict NOTHING = new Nothing();

    private final long defendIntervalNanos;
    private final Map<IpAddress, Long> lastDefence = new HashMap<>();

    public ClaimWatch(long defendIntervalNanos) {
        this.defendIntervalNanos = defendIntervalNanos;
    }

    /**
     * @param frame     a decoded frame from one interface
     * @param ours      whether a MAC is one of this node's
     * @param member    whether a MAC belongs to another cluster member
     * @param announced whether we announce an IP
     * @param probing   whether we are probing an IP before announcing it
     */
    public synchronized Verdict observe(Frame frame, Predicate<MacAddress> ours, Predicate<MacAddress> member,
            Predicate<IpAddress> announced, Predicate<IpAddress> probing, long nowNanos) {
        Optional<Claim> claim = claimIn(frame);
        if (claim.isEmpty()) {
            return NOTHING;
        }
        Claim c = claim.get();
        if (ours.test(c.mac()) || c.mac().isGroup() || c.mac().equals(MacAddress.ZERO)) {
            return NOTHING;
        }
        if (member.test(c.mac())) {
            return !c.probe() && announced.test(c.ip()) ? new MemberClaim(c.ip(), c.mac(), c.how()) : NOTHING;
        }
        if (probing.test(c.ip())) {
            return new InUse(c.ip(), c.mac(), c.how());
        }
        if (c.probe() || !announced.test(c.ip())) {
            // Somebody probing an address we announce is answered by the Responder: that is the defence.
            return NOTHING;
        }
        Long last = lastDefence.get(c.ip());
        boolean defend = last == null || nowNanos - last >= defendIntervalNanos;
        if (defend) {
            lastDefence.put(c.ip(), nowNanos);
        }
        return new ForeignClaim(c.ip(), c.mac(), c.how(), defend);
    }

    /** Forgets the defence clock of an address we no longer announce. */
    public synchronized void forget(IpAddress ip) {
        lastDefence.remove(ip);
    }

    private record Claim(IpAddress ip, MacAddress mac, String how, boolean probe) {
    }

    private static Optional<Claim> claimIn(Frame frame) {
        if (frame instanceof Frame.ArpFrame arp) {
            if (arp.senderIp().lo() == 0) {
                return Optional.of(new Claim(arp.targetIp(), arp.senderMac(), "ARP probe", true));
            }
            String how = arp.operation() == Frame.ArpOperation.REPLY ? "ARP reply"
                    : arp.senderIp().equals(arp.targetIp()) ? "gratuitous ARP" : "ARP request sent from the address";
            return Optional.of(new Claim(arp.senderIp(), arp.senderMac(), how, false));
        }
        if (frame instanceof Frame.NeighborAdvertisement na) {
            return Optional.of(new Claim(na.target(), na.claimedMac(), "Neighbor Advertisement", false));
        }
        if (frame instanceof Frame.NeighborSolicitation ns) {
            if (ns.source().hi() == 0 && ns.source().lo() == 0) {
                return Optional.of(new Claim(ns.target(), ns.ethSource(), "duplicate address detection", true));
            }
            return Optional.of(new Claim(ns.source(), ns.sourceLinkLayer().orElse(ns.ethSource()),
                    "Neighbor Solicitation sent from the address", false));
        }
        return Optional.empty();
    }
}
