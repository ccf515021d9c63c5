package dev.ferrite.lab.proxy;

import dev.ferrite.api.net.IpAddress;
import java.util.List;

/**
 * What the kube-proxy stand-in needs of one Service port: its LoadBalancer ingress IP, the
 * port, whether {@code externalTrafficPolicy} is {@code Local}, and its endpoints from the
 * Service's EndpointSlices.
 */
public record ProxyService(String namespace, String name, String portName, IpAddress ip, int port, boolean local,
                           List<Endpoint> endpoints) {

    public ProxyService {
        endpoints = List.copyOf(endpoints);
    }

    /** One endpoint: a pod address and port, the node it runs on, and whether it is ready. */
    public record Endpoint(IpAddress address, int port, String node, boolean ready) {
    }

    /** Ready endpoints, on this node only when {@code onNode} is given. */
    public List<Endpoint> ready(String onNode) {
        return endpoints.stream().filter(Endpoint::ready).filter(e -> onNode == null || e.node().equals(onNode)).toList();
    }
}
