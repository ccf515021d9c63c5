package dev.ferrite.controller.statusview;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/** The objects a status report is made from, as read from the API server in one pass. */
public record ClusterObjects(
        List<Service> services,
        List<ServiceL2Status> l2Statuses,
        List<IPAddressPool> pools,
        List<L2Advertisement> advertisements,
        List<Event> events) {

    public ClusterObjects {
        services = List.copyOf(services);
        l2Statuses = List.copyOf(l2Statuses);
        pools = List.copyOf(pools);
        advertisements = List.copyOf(advertisements);
        events = List.copyOf(events);
    }
}
