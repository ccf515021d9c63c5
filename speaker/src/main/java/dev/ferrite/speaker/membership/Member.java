package dev.ferrite.speaker.membership;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One claim about a speaker: its node name, the address its membership endpoint listens on,
 * the incarnation the claim refers to, and the status claimed. Claims are what gossip
 * carries; the incarnation orders them (see {@link MemberTable}).
 */
public record Member(String name, InetSocketAddress address, long incarnation, MemberStatus status) {
    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(status, "status");
    }

    Member with(MemberStatus newStatus) {
        return new Member(name, address, incarnation, newStatus);
    }
}
