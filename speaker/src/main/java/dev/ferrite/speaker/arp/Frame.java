package dev.ferrite.speaker.arp;

import dev.ferrite.api.net.IpAddress;
import java.util.Optional;

/** What a captured Ethernet frame turned out to be, as decoded by {@link FrameCodec#decode}. */
public sealed interface Frame {

    /** An ARP request or reply for IPv4 over Ethernet. */
    record ArpFrame(
            MacAddress ethDestination,
            MacAddress ethSource,
            ArpOperation operation,
            MacAddress senderMac,
            IpAddress senderIp,
            MacAddress targetMac,
            IpAddress targetIp) implements Frame {
    }

    enum ArpOperation { REQUEST, REPLY }

    /**
     * An ICMPv6 Neighbor Solicitation that passed the RFC 4861 §7.1.1 checks. {@code source} is
     * {@code ::} for duplicate address detection; {@code sourceLinkLayer} is the option the
     * sender put in, if any.
     */
    record NeighborSolicitation(
            MacAddress ethDestination,
            MacAddress ethSource,
            IpAddress source,
            IpAddress destination,
            IpAddress target,
            Optional<MacAddress> sourceLinkLayer) implements Frame {
    }

    /**
     * An ICMPv6 Neighbor Advertisement that passed the RFC 4861 §7.1.2 checks: somebody says
     * {@code target} is at {@code targetLinkLayer} (the option, if present, else the frame's
     * source MAC is all we know).
     */
    record NeighborAdvertisement(
            MacAddress ethDestination,
            MacAddress ethSource,
            IpAddress source,
            IpAddress target,
            boolean solicited,
            boolean override,
            Optional<MacAddress> targetLinkLayer) implements Frame {

        /** The MAC this advertisement claims {@code target} for. */
        public MacAddress claimedMac() {
            return targetLinkLayer.orElse(ethSource);
        }
    }

    /** A well-formed frame the announcer has no business with (another protocol or message). */
    record Ignored(String what) implements Frame {
    }

    /** A frame that claims to be ARP or a Neighbor Solicitation but is broken; {@code reason} says how. */
    record Malformed(String reason) implements Frame {
    }
}
