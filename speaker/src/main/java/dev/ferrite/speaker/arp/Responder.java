package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.util.function.Predicate;

/**
 * Decides what to say to a frame that arrived on one interface: an ARP reply or a
 * solicited Neighbor Advertisement for an IP we own there, with that interface's MAC, and
 * silence for everything else. Answering for an IP we do not own would steal it from its
 * owner, so every doubtful case is silence.
 */
public final class Responder {

    /** What to do with one frame. */
    public sealed interface Answer {
    }

    /** Send {@code frame}, which tells {@code to} that {@code ip} is at our MAC. */
    public record Reply(byte[] frame, IpAddress ip, MacAddress to) implements Answer {
    }

    /** Say nothing; {@code why} is for debug logs. */
    public record Silence(String why) implements Answer {
    }

    private Responder() {
    }

    /**
     * @param frame        the decoded frame
     * @param interfaceMac the MAC of the interface it arrived on
     * @param ownedHere    whether we announce an IP on that interface
     */
    public static Answer answer(Frame frame, MacAddress interfaceMac, Predicate<IpAddress> ownedHere) {
        return answer(frame, interfaceMac, ownedHere, false);
    }

    /**
     * The same for a node that may be handing its IPs over: it still answers questions
     * about them, but not address probes (an ARP probe from 0.0.0.0, a solicitation from ::).
     * Those come from the successor before it announces. Answering one would make the
     * successor's probe see an answer, and for IPv6 the answer goes to all nodes (RFC 4861
     * §7.2.4) with the override flag, so every client that already follows the successor
     * would turn back to this node for a moment and reset the connections it opens then.
     *
     * @param handingOver whether this node is handing every IP it announces over (it is shutting down)
     */
    public static Answer answer(Frame frame, MacAddress interfaceMac, Predicate<IpAddress> ownedHere,
            boolean handingOver) {
        if (frame instanceof Frame.ArpFrame arp) {
            return answerArp(arp, interfaceMac, ownedHere, handingOver);
        }
        if (frame instanceof Frame.NeighborSolicitation ns) {
            return answerSolicitation(ns, interfaceMac, ownedHere, handingOver);
        }
        if (frame instanceof Frame.NeighborAdvertisement na) {
            return new Silence("Neighbor Advertisement from " + na.claimedMac() + " for " + na.target());
        }
        if (frame instanceof Frame.Malformed malformed) {
            return new Silence("malformed: " + malformed.reason());
        }
        return new Silence(((Frame.Ignored) frame).what());
    }

    private static Answer answerArp(Frame.ArpFrame arp, MacAddress ours, Predicate<IpAddress> ownedHere,
            boolean handingOver) {
        if (arp.operation() != Frame.ArpOperation.REQUEST) {
            return new Silence("ARP reply from " + arp.senderMac());
        }
        if (arp.ethSource().equals(ours)) {
            return new Silence("our own ARP request");
        }
        if (!arp.ethDestination().equals(MacAddress.BROADCAST) && !arp.ethDestination().equals(ours)) {
            return new Silence("ARP request unicast to " + arp.ethDestination());
        }
        if (arp.senderIp().equals(arp.targetIp())) {
            return new Silence("gratuitous ARP from " + arp.senderMac() + " for " + arp.targetIp());
        }
        if (arp.senderMac().isGroup()) {
            return new Silence("ARP request with group sender MAC " + arp.senderMac());
        }
        if (!ownedHere.test(arp.targetIp())) {
            return new Silence("not announcing " + arp.targetIp() + " here");
        }
        if (handingOver && arp.senderIp().equals(IpAddress.ofV4(0))) {
            return new Silence("ARP probe for " + arp.targetIp() + ", which this node is handing over");
        }
        // An RFC 5227 probe (sender IP 0.0.0.0) gets a reply too: that is how the owner defends the address.
        return new Reply(FrameCodec.arpReply(ours, arp.targetIp(), arp.senderMac(), arp.senderIp()),
                arp.targetIp(), arp.senderMac());
    }

    private static Answer answerSolicitation(Frame.NeighborSolicitation ns, MacAddress ours,
            Predicate<IpAddress> ownedHere, boolean handingOver) {
        if (ns.ethSource().equals(ours)) {
            return new Silence("our own Neighbor Solicitation");
        }
        if (!ns.ethDestination().isGroup() && !ns.ethDestination().equals(ours)) {
            return new Silence("Neighbor Solicitation unicast to " + ns.ethDestination());
        }
        if (!ownedHere.test(ns.target())) {
            return new Silence("not announcing " + ns.target() + " here");
        }
        boolean duplicateAddressDetection = ns.source().hi() == 0 && ns.source().lo() == 0;
        if (duplicateAddressDetection && handingOver) {
            return new Silence("duplicate address detection for " + ns.target() + ", which this node is handing over");
        }
        if (duplicateAddressDetection) {
            // RFC 4861 §7.2.4: a solicitation from :: is answered to all nodes, not solicited.
            return new Reply(FrameCodec.unsolicitedNeighborAdvertisement(ours, ns.target()), ns.target(),
                    MacAddress.IPV6_ALL_NODES);
        }
        MacAddress to = ns.sourceLinkLayer().orElse(ns.ethSource());
        return new Reply(FrameCodec.neighborAdvertisement(to, ours, ns.target(), ns.source(), ns.target(), true),
                ns.target(), to);
    }
}
