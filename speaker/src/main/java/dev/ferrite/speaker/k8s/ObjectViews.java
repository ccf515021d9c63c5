package dev.ferrite.speaker.k8s;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the fields the election needs out of Kubernetes objects. Pure. */
public final class ObjectViews {

    /** Label EndpointSlices carry to name their Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ObjectViews() {
    }

    /**
     * The announceable view of a Service, or empty when it is not a LoadBalancer of this
     * speaker's class ({@code lbClass}; empty: class-less Services only, as the controller) or
     * has no ingress IP yet. The {@code ferrite.dev/ip-allocated-from-pool} annotation is not
     * read: the address alone names its pool, so announcing never waits for the controller's
     * later bookkeeping write.
     */
    public static Optional<ServiceView> service(Service s, Optional<String> lbClass) {
        if (s.getSpec() == null || !"LoadBalancer".equals(s.getSpec().getType())
                || !lbClass.equals(Optional.ofNullable(s.getSpec().getLoadBalancerClass()))) {
            return Optional.empty();
        }
        List<IpAddress> ips = new ArrayList<>();
        if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null
                && s.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress ingress : s.getStatus().getLoadBalancer().getIngress()) {
                IpAddress.parse(ingress.getIp()).filter(ip -> !ips.contains(ip)).ifPresent(ips::add);
            }
        }
        if (ips.isEmpty()) {
            return Optional.empty();
        }
        boolean local = "Local".equals(s.getSpec().getExternalTrafficPolicy());
        Map<String, String> labels = s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
        return Optional.of(new ServiceView(key(s), s.getMetadata().getUid(), labels, ips, local));
    }

    public static ServiceKey key(Service s) {
        return new ServiceKey(s.getMetadata().getNamespace(), s.getMetadata().getName());
    }

    /** The Service an EndpointSlice belongs to, or empty for a slice without the label. */
    public static Optional<ServiceKey> serviceOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
        return name == null ? Optional.empty() : Optional.of(new ServiceKey(slice.getMetadata().getNamespace(), name));
    }

    /**
     * Adds the nodes of the slice's ready endpoints. An absent {@code ready} condition counts as
     * ready, as the EndpointSlice API defines it.
     */
    public static void addReadyNodes(EndpointSlice slice, Set<String> into) {
        if (slice.getEndpoints() == null) {
            return;
        }
        for (Endpoint e : slice.getEndpoints()) {
            boolean ready = e.getConditions() == null || e.getConditions().getReady() == null
                    || e.getConditions().getReady();
            if (ready && e.getNodeName() != null) {
                into.add(e.getNodeName());
            }
        }
    }

    public static NodeView node(Node n) {
        boolean unavailable = false;
        List<IpAddress> internalIps = new ArrayList<>();
        if (n.getStatus() != null) {
            if (n.getStatus().getConditions() != null) {
                for (NodeCondition c : n.getStatus().getConditions()) {
                    if ("NetworkUnavailable".equals(c.getType()) && "True".equals(c.getStatus())) {
                        unavailable = true;
                    }
                }
            }
            if (n.getStatus().getAddresses() != null) {
                for (NodeAddress a : n.getStatus().getAddresses()) {
                    if ("InternalIP".equals(a.getType()) && a.getAddress() != null) {
                        IpAddress.parse(a.getAddress()).ifPresent(internalIps::add);
                    }
                }
            }
        }
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
        return new NodeView(n.getMetadata().getName(), labels, unavailable, internalIps);
    }
}
