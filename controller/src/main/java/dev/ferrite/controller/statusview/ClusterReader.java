package dev.ferrite.controller.statusview;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a status report needs in one pass of list calls: Services and Events (of one
 * namespace or all), and Ferrite's own objects from Ferrite's namespace. Events are listed
 * whole and filtered by the report: a {@code reason} field selector is not honoured by every
 * API server (the embedded one drops matching Events), and Events expire after an hour, so
 * the list stays short.
 */
public final class ClusterReader {

    private ClusterReader() {
    }

    public static ClusterObjects read(KubernetesClient client, String ferriteNamespace, Optional<String> serviceNamespace) {
        List<Service> services = serviceNamespace
                .map(ns -> client.services().inNamespace(ns).list().getItems())
                .orElseGet(() -> client.services().inAnyNamespace().list().getItems());
        List<Event> events = serviceNamespace
                .map(ns -> client.v1().events().inNamespace(ns).list().getItems())
                .orElseGet(() -> client.v1().events().inAnyNamespace().list().getItems());
        List<ServiceL2Status> l2 = client.resources(ServiceL2Status.class).inNamespace(ferriteNamespace).list().getItems();
        List<IPAddressPool> pools = client.resources(IPAddressPool.class).inNamespace(ferriteNamespace).list().getItems();
        List<L2Advertisement> ads = client.resources(L2Advertisement.class).inNamespace(ferriteNamespace).list().getItems();
        return new ClusterObjects(services, l2, pools, ads, events);
    }
}
