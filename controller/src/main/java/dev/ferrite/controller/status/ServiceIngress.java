package dev.ferrite.controller.status;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.controller.allocation.AllocationResult.Allocated;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Service shows of its allocation: the addresses in {@code status.loadBalancer.ingress}
 * (each with {@code ipMode: VIP}) and the pool in the {@code ferrite.dev/ip-allocated-from-pool}
 * annotation. The one place their text is read: the reconciler, the restore at start and
 * {@code ferrite status} all take the addresses from {@link #addresses}, and the status writer
 * compares a Service with the allocation it should show here. An empty allocation means the
 * Service should show neither.
 */
public final class ServiceIngress {

    public static final String IP_MODE = "VIP";

    private ServiceIngress() {
    }

    /** The addresses the Service's status shows, in order; entries without a parseable IP are skipped. */
    public static List<IpAddress> addresses(Service service) {
        List<IpAddress> out = new ArrayList<>();
        for (LoadBalancerIngress in : entries(service)) {
            if (in.getIp() != null) {
                IpAddress.parse(in.getIp()).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The pool the annotation names. */
    public static Optional<String> pool(Service service) {
        var a = service.getMetadata().getAnnotations();
        return Optional.ofNullable(a == null ? null : a.get(Annotations.IP_ALLOCATED_FROM_POOL));
    }

    /** Whether the Service shows exactly {@code desired}: its addresses and its pool, or neither. */
    public static boolean shows(Service service, Optional<Allocated> desired) {
        return statusShows(service, desired) && annotationShows(service, desired);
    }

    static boolean statusShows(Service service, Optional<Allocated> desired) {
        List<IpAddress> ips = desired.map(Allocated::ips).orElse(List.of());
        List<LoadBalancerIngress> current = entries(service);
        if (current.size() != ips.size()) {
            return false;
        }
        for (int i = 0; i < ips.size(); i++) {
            LoadBalancerIngress in = current.get(i);
            // the text as written: an address in another spelling is written again
            if (!ips.get(i).toString().equals(in.getIp()) || !IP_MODE.equals(in.getIpMode()) || in.getHostname() != null) {
                return false;
            }
        }
        return true;
    }

    static boolean annotationShows(Service service, Optional<Allocated> desired) {
        return Objects.equals(desired.map(Allocated::pool), pool(service));
    }

    private static List<LoadBalancerIngress> entries(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress();
    }
}
