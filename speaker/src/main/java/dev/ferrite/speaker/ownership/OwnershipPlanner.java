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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Feeds one cluster snapshot and one membership view into the election and files the result
 * per Service. Pure: no client, no clock; linear in the number of Service IPs.
 *
 * <p>The pool of a Service IP is the configured pool holding it ({@link
 * dev.ferrite.api.config.Config#poolOf}): pools never overlap, so the address alone decides,
 * and a Service is announced as soon as its address is in its status. An IP in no pool (its
 * pool was deleted or shrunk, or another implementation assigned it) is not announced.
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
        Map<IpAddress, String> outsidePools = new HashMap<>();
        for (ServiceView s : snapshot.services()) {
            // One election input per pool the Service's IPs lie in: normally one, both families alike.
            Map<String, List<IpAddress>> byPool = new TreeMap<>();
            for (IpAddress ip : s.ips()) {
                Optional<String> pool = snapshot.config().poolOf(ip);
                if (pool.isPresent()) {
                    byPool.computeIfAbsent(pool.get(), k -> new ArrayList<>()).add(ip);
                } else {
                    outsidePools.put(ip, ip + " of service " + s.key() + " is in no IPAddressPool");
                }
            }
            Set<String> ready = s.localTrafficPolicy() ? snapshot.readyEndpointNodes(s.key()) : Set.of();
            byPool.forEach((pool, ips) -> services.add(new LoadBalancerService(s.key().toString(), s.labels(), pool, ips,
                    s.localTrafficPolicy(), ready)));
        }
        SortedMap<IpAddress, ElectionResult> results = Election.electAll(view, services);

        SortedMap<ServiceKey, SortedMap<IpAddress, OwnershipPlan.Decision>> byService = new TreeMap<>();
        for (ServiceView s : snapshot.services()) {
            SortedMap<IpAddress, OwnershipPlan.Decision> ips = new TreeMap<>();
            for (IpAddress ip : s.ips()) {
                ElectionResult r = results.get(ip);
                if (r == null) {
                    ips.put(ip, new OwnershipPlan.Unowned(outsidePools.get(ip)));
                } else if (r instanceof ElectionResult.Announcement a) {
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
