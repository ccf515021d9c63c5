package dev.ferrite.speaker.membership;

import java.util.List;

/**
 * One membership datagram after authentication. Every message carries the sender's claim
 * about itself (so any message is evidence of life) and the digest of its live view.
 *
 * @param replyWanted on SYNC and STATE: the receiver should answer with its own full state
 */
record MembershipMessage(Type type, Member sender, long digest, boolean replyWanted, List<Member> claims) {

    enum Type {
        /** Sent every probe interval to ring successors; carries piggybacked news. */
        HEARTBEAT,
        /** News pushed at once to a few random members, who push it on if it is news to them. */
        GOSSIP,
        /** Anti-entropy and join: "here is my digest"; a different digest asks for full state. */
        SYNC,
        /** A chunk of the sender's full state. */
        STATE
    }

    MembershipMessage {
        claims = List.copyOf(claims);
    }
}
