package dev.ferrite.speaker.ownership;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.ProbeResult;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the ownership loop needs from whatever answers ARP/NDP for service IPs. In production
 * this is the pcap announcer; integration tests record the calls instead.
 */
public interface Announcer extends AutoCloseable {

    /**
     * Starts answering for every IP of {@code wanted} and sends gratuitous announcements, the
     * first ones for all of these IPs before anything slower: a node that gains many IPs at
     * once restores all of them together.
     *
     * The interfaces each IP is actually announced on are in {@link #announcements()} afterwards
     * (reported in ServiceL2Status).
     *
     * @param wanted each IP with the interfaces named by its matching L2Advertisements; an
     *               empty set means every suitable interface of the node
     */
    void announce(Map<IpAddress, Set<String>> wanted);

    /**
     * Sends the gratuitous announcements for an IP this node keeps announcing, again, on the
     * usual schedule; a no-op for an IP not announced. Used when a member joins: while it could
     * not see us it may have claimed our IPs, and it withdraws them silently once it can.
     */
    void reassert(IpAddress ip);

    /**
     * The periodic refresh period of each announced IP whose L2Advertisements set
     * {@code garpRefresh}; every other announced IP uses the speaker's own period, if any.
     * Replaces the previous map. An announcer without periodic refresh ignores it.
     */
    default void refreshPeriods(Map<IpAddress, Duration> periods) {
    }

    /**
     * Probes each IP of {@code ips} on its interfaces (as {@link #announce} would choose them)
     * before it is first announced: ARP probes from 0.0.0.0 for IPv4, duplicate address
     * detection for IPv6, on {@code arp.ProbeTiming}. Returns at once; {@code done} is told once
     * per IP, on another thread: {@code Free}, or {@code InUse} when a MAC that is neither this
     * node's nor a cluster member's answered. An IP already being probed is skipped. An announcer
     * that cannot probe reports every IP free at once.
     */
    default void probe(Map<IpAddress, Set<String>> ips, Consumer<ProbeResult> done) {
        ips.keySet().forEach(ip -> done.accept(new ProbeResult.Free(ip)));
    }

    /** Stops answering for {@code ip}; a no-op for an IP not announced. */
    void withdraw(IpAddress ip);

    /**
     * Every IP this announcer answers for, with the interfaces it is announced on (a copy):
     * the one record of what is announced, which the ownership loop reads instead of keeping
     * its own.
     */
    SortedMap<IpAddress, Set<String>> announcements();

    /**
     * Reports foreign claims to {@code listener} (called on a capture thread; keep it short).
     * {@code member} tells a cluster member's MAC, whose claims are handovers, not conflicts.
     */
    default void watchClaims(Predicate<String> member, Consumer<ForeignClaim> listener) {
    }

    /**
     * The other cluster members' MACs, whose periodic conflict probes need not reach this
     * speaker at all (a member's probe is neither a claim nor a conflict); an announcer that
     * captures frames may leave them out of its capture. Replaces the last set.
     */
    default void ignoreProbesFrom(Set<String> memberMacs) {
    }

    /**
     * From now on every announced IP is being handed over (the speaker is shutting down and
     * its successors are taking over): questions about the IPs are still answered until they
     * are withdrawn, address probes for them no longer (see {@code arp.Responder}).
     */
    default void handOver() {
    }

    /**
     * Asks each of {@code addresses} (another node's) for its MAC, from this node's own address
     * on the interface whose subnet holds it: an ARP request, or a Neighbor Solicitation. Both
     * kernels resolve each other from the exchange, the asked node from the question and this
     * one from the answer; after a link outage they would otherwise wait up to a second for
     * their next retry, with every packet between them queued. An address on no interface's
     * subnet is skipped. Returns at once.
     */
    default void resolveNeighbours(Collection<IpAddress> addresses) {
    }

    /** Tells {@code listener} when a cluster member claims an IP this node announces (a handover's new owner). */
    default void watchMemberClaims(Consumer<IpAddress> listener) {
    }

    /** The MACs this node announces with (lower-case, colon-separated), for the other members to know. */
    default Set<String> macs() {
        return Set.of();
    }

    /** Packet counters since start, for metrics. */
    AnnouncerCounts counts();

    /** Stops answering for everything and releases capture handles. */
    @Override
    void close();
}
