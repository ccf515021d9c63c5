package dev.ferrite.speaker.model;

import dev.ferrite.api.config.Config;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one ownership recompute reads from the API, taken from the informer caches at
 * one moment: announceable Services, Nodes by name, nodes with a ready endpoint per Service
 * (only filled for Services with {@code externalTrafficPolicy: Local}), and the config in force.
 */
public record ClusterSnapshot(
        List<ServiceView> services,
        Map<String, NodeView> nodes,
        Map<ServiceKey, Set<String>> readyEndpointNodes,
        Config config) {

    public ClusterSnapshot {
        services = List.copyOf(services);
        nodes = Map.copyOf(nodes);
        readyEndpointNodes = Map.copyOf(readyEndpointNodes);
    }

    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of(), Map.of(), Map.of(), Config.EMPTY);

    public Set<String> readyEndpointNodes(ServiceKey key) {
        return readyEndpointNodes.getOrDefault(key, Set.of());
    }
}
