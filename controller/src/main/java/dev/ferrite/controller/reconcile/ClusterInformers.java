package dev.ferrite.controller.reconcile;

import dev.ferrite.api.kube.Informers;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.controller.status.ServiceStatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The controller's view of the cluster: Services in every namespace, IPAddressPools and
 * L2Advertisements in the controller's namespace, the speakers' ServiceL2Status objects there
 * (for the addresses their probes found in use), and Namespaces (for their labels). Every
 * change becomes work for the reconcile loop; reads come from the informer caches.
 */
public final class ClusterInformers implements AutoCloseable {

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<IPAddressPool> pools;
    private final SharedIndexInformer<L2Advertisement> advertisements;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ServiceL2Status> l2Statuses;

    /** Starts the informers; every change they see goes to {@code queue}. */
    public ClusterInformers(KubernetesClient client, String namespace, WorkQueue queue) {
        services = client.services().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service s) {
                queue.add(ServiceStatusWriter.keyOf(s));
            }

            @Override
            public void onUpdate(Service before, Service after) {
                queue.add(ServiceStatusWriter.keyOf(after));
            }

            @Override
            public void onDelete(Service s, boolean finalStateUnknown) {
                queue.add(ServiceStatusWriter.keyOf(s));
            }
        });
        ResourceEventHandler<HasMetadata> configHandler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata o) {
                queue.configChanged();
            }

            @Override
            public void onUpdate(HasMetadata before, HasMetadata after) {
                // our own status writes come back here; only spec and labels change the config
                if (!Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())
                        || before.getMetadata().getGeneration() == null
                        || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
                    queue.configChanged();
                }
            }

            @Override
            public void onDelete(HasMetadata o, boolean finalStateUnknown) {
                queue.configChanged();
            }
        };
        pools = client.resources(IPAddressPool.class).inNamespace(namespace).runnableInformer(0);
        pools.addEventHandler(cast(configHandler));
        advertisements = client.resources(L2Advertisement.class).inNamespace(namespace).runnableInformer(0);
        advertisements.addEventHandler(cast(configHandler));
        namespaces = client.namespaces().runnableInformer(0);
        namespaces.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace ns) {
                // Services are queued on their own at start; only later label changes matter
            }

            @Override
            public void onUpdate(Namespace before, Namespace after) {
                if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
                    queue.addAll(servicesIn(after.getMetadata().getName()));
                }
            }

            @Override
            public void onDelete(Namespace ns, boolean finalStateUnknown) {
            }
        });
        l2Statuses = client.resources(ServiceL2Status.class).inNamespace(namespace).runnableInformer(0);
        l2Statuses.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ServiceL2Status s) {
                if (s.getStatus() != null && s.getStatus().getConflicts() != null) {
                    queue.addressesInUseChanged();
                }
            }

            @Override
            public void onUpdate(ServiceL2Status before, ServiceL2Status after) {
                if (!Objects.equals(conflicts(before), conflicts(after))) {
                    queue.addressesInUseChanged();
                }
            }

            @Override
            public void onDelete(ServiceL2Status s, boolean finalStateUnknown) {
                queue.addressesInUseChanged();
            }
        });
        // Started so that they retry until the API answers: a controller started before the
        // API is reachable syncs, and allocates, once it is.
        Stream.of(services, pools, advertisements, namespaces, l2Statuses).forEach(Informers::start);
    }

    private static Object conflicts(ServiceL2Status s) {
        return s.getStatus() == null || s.getStatus().getConflicts() == null ? null
                : s.getStatus().getConflicts().stream().map(c -> c.getIp() + " " + c.getKind() + " " + c.getMac()).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    boolean synced() {
        return services.hasSynced() && pools.hasSynced() && advertisements.hasSynced() && namespaces.hasSynced()
                && l2Statuses.hasSynced();
    }

    Service service(String key) {
        return services.getStore().getByKey(key);
    }

    List<Service> services() {
        return services.getStore().list();
    }

    List<String> serviceKeys() {
        return services.getStore().listKeys();
    }

    private List<String> servicesIn(String namespace) {
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream().map(ServiceStatusWriter::keyOf).toList();
    }

    List<IPAddressPool> pools() {
        return pools.getStore().list();
    }

    List<L2Advertisement> advertisements() {
        return advertisements.getStore().list();
    }

    List<ServiceL2Status> l2Statuses() {
        return l2Statuses.getStore().list();
    }

    Map<String, String> namespaceLabels(String namespace) {
        Namespace ns = namespaces.getStore().getByKey(namespace);
        Map<String, String> labels = ns == null ? null : ns.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    @Override
    public void close() {
        Stream.of(services, pools, advertisements, namespaces, l2Statuses).forEach(SharedIndexInformer::close);
    }
}
