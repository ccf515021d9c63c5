package dev.ferrite.speaker.membership;

import java.net.InetSocketAddress;

/**
 * Whether a membership datagram to an address leaves this member. A speaker sends everything
 * ({@link #OPEN}); the membership tests and benchmark pass a gate of their own to lose
 * datagrams, split the members into groups or silence one, over the same sockets.
 */
@FunctionalInterface
public interface OutboundGate {
    OutboundGate OPEN = to -> true;

    boolean passes(InetSocketAddress to);
}
