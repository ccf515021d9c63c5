package dev.ferrite.speaker.ownership;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.election.ClusterNode;
import dev.ferrite.speaker.election.ClusterView;
import dev.ferrite.speaker.election.Election;
import dev.ferrite.speaker.election.ElectionResult;
import dev.ferrite.speaker.election.LoadBalancerService;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.OwnershipPlan;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Feeds one cluster snapshot and one membership view into the election and files the result
 * per Service. Pure: no client, no clock; linear in the number of Service IPs.
 */
public final class OwnershipPlanner {

    private OwnershipPlanner() {
    }

    public static OwnershipPlan plan(ClusterSnapshot snapshot, Set<String> live) {
        List<ClusterNode> nodes = new ArrayList<>();
        for (NodeView n : snapshot.nodes().values()) {
            nodes.add(new ClusterNode(n.name(), n.labels(), n.networkUnavailable()));
        }
        ClusterView view = ClusterView.of(live, nodes, snapshot.config().advertisements());
        List<LoadBalancerService> services = new ArrayList<>();
        for (ServiceView s : snapshot.services()) {
            services.add(new LoadBalancerService(s.key().toString(), s.labels(), s.pool(), s.ips(),
                    s.localTrafficPolicy(), snapshot.readyEndpointNodes(s.key())));
        }
        SortedMap<IpAddress, ElectionResult> results = Election.electAll(view, services);

        SortedMap<ServiceKey, SortedMap<IpAddress, OwnershipPlan.Decision>> byService = new TreeMap<>();
        for (ServiceView s : snapshot.services()) {
            SortedMap<IpAddress, OwnershipPlan.Decision> ips = new TreeMap<>();
            for (IpAddress ip : s.ips()) {
                ElectionResult r = results.get(ip);
                if (r instanceof ElectionResult.Announcement a) {
                    ips.put(ip, new OwnershipPlan.Owner(a.owner(), a.interfaces(), a.garpRefresh()));
                } else {
                    ips.put(ip, new OwnershipPlan.Unowned(((ElectionResult.NoOwner) r).reason()));
                }
            }
            byService.put(s.key(), ips);
        }
        return new OwnershipPlan(byService);
    }
}
