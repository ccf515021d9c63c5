package dev.ferrite.speaker.model;

import dev.ferrite.api.net.IpAddress;
import java.util.List;
import java.util.Map;

/**
 * What the election needs to know about one LoadBalancer Service: its assigned IPs (from
 * {@code status.loadBalancer.ingress}), its labels (for advertisement service selectors) and
 * whether traffic must stay on nodes with endpoints. The pool of each IP is not here: the
 * planner reads it from the configuration, because pools never overlap, so a Service is
 * announceable as soon as its address is in its status.
 */
public record ServiceView(
        ServiceKey key,
        String uid,
        Map<String, String> labels,
        List<IpAddress> ips,
        boolean localTrafficPolicy) {

    public ServiceView {
        labels = Map.copyOf(labels);
        ips = List.copyOf(ips);
    }
}
