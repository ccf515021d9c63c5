package dev.ferrite.speaker.election;

import dev.ferrite.api.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One LoadBalancer Service as the election sees it.
 *
 * @param key                     {@code namespace/name}, used in reasons shown to the operator
 * @param labels                  the Service's labels, matched by advertisement service selectors
 * @param pool                    the pool holding its IPs (pools never overlap, so the IPs name it)
 * @param ips                     its ingress IPs
 * @param localTrafficPolicy      {@code externalTrafficPolicy: Local}
 * @param nodesWithReadyEndpoints nodes hosting a ready endpoint; only consulted when
 *                                {@code localTrafficPolicy}
 */
public record LoadBalancerService(
        String key,
        Map<String, String> labels,
        String pool,
        List<IpAddress> ips,
        boolean localTrafficPolicy,
        Set<String> nodesWithReadyEndpoints) {

    public LoadBalancerService {
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
        nodesWithReadyEndpoints = Set.copyOf(nodesWithReadyEndpoints);
    }

    /** A Service with {@code externalTrafficPolicy: Cluster}. */
    public static LoadBalancerService cluster(String key, Map<String, String> labels, String pool, List<IpAddress> ips) {
        return new LoadBalancerService(key, labels, pool, ips, false, Set.of());
    }

    /** A Service with {@code externalTrafficPolicy: Local} and the nodes that host its ready endpoints. */
    public static LoadBalancerService local(String key, Map<String, String> labels, String pool, List<IpAddress> ips,
            Set<String> nodesWithReadyEndpoints) {
        return new LoadBalancerService(key, labels, pool, ips, true, nodesWithReadyEndpoints);
    }
}
