package dev.ferrite.speaker.election;

import dev.ferrite.api.config.Advertisement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The cluster-wide inputs every speaker feeds into the election: which speakers are live
 * (membership), the Nodes by name, and the validated advertisements. Every speaker that holds
 * the same view elects the same owners.
 */
public record ClusterView(Set<String> liveMembers, Map<String, ClusterNode> nodes, List<Advertisement> advertisements) {

    public ClusterView {
        liveMembers = Set.copyOf(liveMembers);
        nodes = Map.copyOf(nodes);
        advertisements = List.copyOf(advertisements);
    }

    public static ClusterView of(Set<String> liveMembers, Collection<ClusterNode> nodes, List<Advertisement> advertisements) {
        return new ClusterView(liveMembers,
                nodes.stream().collect(Collectors.toMap(ClusterNode::name, Function.identity())),
                advertisements);
    }

    /** The same cluster with a different set of live speakers. */
    public ClusterView withLiveMembers(Set<String> members) {
        return new ClusterView(members, nodes, advertisements);
    }
}
