package dev.ferrite.controller.status;

import dev.ferrite.api.Annotations;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller wants a Service to show: the addresses in
 * {@code status.loadBalancer.ingress} (each with {@code ipMode: VIP}) and the pool in the
 * {@code ferrite.dev/ip-allocated-from-pool} annotation. {@link #NONE} clears both.
 */
public record ServiceAssignment(List<String> ips, Optional<String> pool) {

    public static final ServiceAssignment NONE = new ServiceAssignment(List.of(), Optional.empty());
    public static final String IP_MODE = "VIP";

    public ServiceAssignment {
        ips = List.copyOf(ips);
    }

    /** The addresses the Service's status shows, in order. */
    public static List<String> ingressIps(Service service) {
        List<String> out = new ArrayList<>();
        for (LoadBalancerIngress in : ingress(service)) {
            if (in.getIp() != null) {
                out.add(in.getIp());
            }
        }
        return out;
    }

    static List<LoadBalancerIngress> ingress(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress();
    }

    public static Optional<String> annotatedPool(Service service) {
        Map<String, String> a = service.getMetadata().getAnnotations();
        return Optional.ofNullable(a == null ? null : a.get(Annotations.IP_ALLOCATED_FROM_POOL));
    }

    public boolean statusMatches(Service service) {
        List<LoadBalancerIngress> current = ingress(service);
        if (current.size() != ips.size()) {
            return false;
        }
        for (int i = 0; i < ips.size(); i++) {
            LoadBalancerIngress in = current.get(i);
            if (!ips.get(i).equals(in.getIp()) || !IP_MODE.equals(in.getIpMode()) || in.getHostname() != null) {
                return false;
            }
        }
        return true;
    }

    public boolean annotationMatches(Service service) {
        return Objects.equals(pool, annotatedPool(service));
    }

    public boolean matches(Service service) {
        return statusMatches(service) && annotationMatches(service);
    }
}
