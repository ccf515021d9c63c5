package dev.ferrite.speaker.membership;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which speakers are alive. The speaker feeds it seed addresses (from the API, changing at
 * run time) and reads the live view, which election intersects with the eligible nodes.
 */
public interface Membership extends AutoCloseable {

    /** Opens the sockets and joins through the current seeds. */
    void start();

    /** Replaces the seed addresses used to join and to heal partitions; own address is ignored. */
    void updateSeeds(Collection<InetSocketAddress> seeds);

    /** Node names of live members, self included. */
    Set<String> liveMembers();

    /** Live members that nobody suspects at the moment, self included. */
    Set<String> healthyMembers();

    /**
     * Members known not to announce: they left gracefully, or this member saw their port answer
     * unreachable (the process is gone on a live node). Not in the live view.
     */
    Set<String> goneMembers();

    /**
     * Called with the live view after every change of it, and after every change of the
     * healthy members (a member suspected, or cleared by its refutation), on a membership
     * thread; keep it short.
     */
    void addListener(Consumer<Set<String>> onChange);

    /** Tells peers this member is leaving (they drop it at once), then stops. */
    void leave();

    MembershipStats stats();

    /** Stops without telling anybody (peers detect it as a crash). */
    @Override
    void close();
}
