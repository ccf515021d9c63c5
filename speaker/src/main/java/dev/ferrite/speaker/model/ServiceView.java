package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * What the election needs to know about one LoadBalancer Service: its assigned IPs (from
 * {@code status.loadBalancer.ingress}), the pool they came from, its labels (for
 * advertisement service selectors) and whether traffic must stay on nodes with endpoints.
 */
public record ServiceView(
        ServiceKey key,
        String uid,
        Map<String, String> labels,
        List<IpAddress> ips,
        String pool,
        boolean localTrafficPolicy) {

    public ServiceView {
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
    }
}
