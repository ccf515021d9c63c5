package dev.ferrite.speaker.ownership;

import dev.ferrite.speaker.model.MemberCounts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The speaker's view of which speakers are alive. In production this is the membership
 * protocol; integration tests drive it by hand to simulate nodes joining and leaving.
 */
public interface MemberView {

    void start() throws IOException;

    /** Node names of the speakers currently considered alive, this node included once started. */
    Set<String> liveMembers();

    /** Live members that nobody suspects, this node included once started. */
    Set<String> healthyMembers();

    /** Members known not to announce: left gracefully, or their port answered unreachable. */
    Set<String> goneMembers();

    /** Called with the live set whenever it changes, and whenever the healthy members change. */
    void addListener(Consumer<Set<String>> listener);

    /** Addresses of peers to contact; replaced as Nodes come and go. */
    void updateSeeds(Collection<InetSocketAddress> seeds);

    /** Announces departure so that peers drop this node at once instead of suspecting it. */
    void leave();

    /** Counters since start, for metrics. */
    MemberCounts counts();
}
