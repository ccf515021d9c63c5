package dev.ferrite.speaker.membership;

import dev.ferrite.speaker.membership.Membership;
import dev.ferrite.speaker.membership.MembershipStats;
import dev.ferrite.speaker.model.MemberCounts;
import dev.ferrite.speaker.ownership.MemberView;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;

/** The production {@link MemberView}: the membership protocol. */
public final class MembershipView implements MemberView {

    private final Membership membership;

    public MembershipView(Membership membership) {
        this.membership = membership;
    }

    @Override
    public void start() {
        membership.start();
    }

    @Override
    public Set<String> liveMembers() {
        return membership.liveMembers();
    }

    @Override
    public Set<String> healthyMembers() {
        return membership.healthyMembers();
    }

    @Override
    public Set<String> goneMembers() {
        return membership.goneMembers();
    }

    @Override
    public void addListener(Consumer<Set<String>> listener) {
        membership.addListener(listener);
    }

    @Override
    public void updateSeeds(Collection<InetSocketAddress> seeds) {
        membership.updateSeeds(seeds);
    }

    @Override
    public void leave() {
        membership.leave();
    }

    @Override
    public MemberCounts counts() {
        MembershipStats s = membership.stats();
        // Replayed datagrams are authentication failures from the operator's point of view.
        return new MemberCounts(membership.liveMembers().size(), s.suspicionsRaised(), s.authFailures() + s.replaysDropped());
    }
}
