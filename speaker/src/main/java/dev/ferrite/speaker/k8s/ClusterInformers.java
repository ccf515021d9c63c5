package dev.ferrite.speaker.k8s;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches everything the election reads: Services and EndpointSlices in every namespace,
 * Nodes, and the speaker namespace's IPAddressPools and L2Advertisements. Each event only
 * signals a change; {@link #snapshot()} reads the caches when the ownership loop recomputes.
 */
public final class ClusterInformers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterInformers.class);
    private static final String BY_SERVICE = "service";

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<IPAddressPool> pools;
    private final SharedIndexInformer<L2Advertisement> advertisements;
    private final ConfigTracker config;
    private final Runnable onConfig;

    /**
     * Creates and starts the informers. {@code onChange} is called from informer threads for
     * every change that can move ownership, {@code onNodes} with all Nodes when Nodes change.
     */
    public static ClusterInformers start(KubernetesClient client, String namespace, ConfigTracker config,
            Runnable onChange, Consumer<List<NodeView>> onNodes) {
        ClusterInformers informers = new ClusterInformers(client, namespace, config, onChange, onNodes);
        // fabric8's default gives up when the first list fails or a watch breaks other than with
        // 410: a speaker started before the API is reachable would never become ready. Retry
        // (with the client's backoff) for as long as the speaker runs.
        for (SharedIndexInformer<?> i : List.of(informers.services, informers.slices, informers.nodes, informers.pools,
                informers.advertisements)) {
            i.exceptionHandler((started, error) -> {
                log.warn("watching {} failed, retrying: {}", i.getApiTypeClass().getSimpleName(), error.getMessage());
                return true;
            });
        }
        informers.services.start();
        informers.slices.start();
        informers.nodes.start();
        // The config is validated only once both kinds are listed, so a half-listed config
        // (advertisements naming pools not seen yet) is never reported as invalid.
        CompletableFuture.allOf(informers.pools.start().toCompletableFuture(),
                informers.advertisements.start().toCompletableFuture()).thenRun(informers.onConfig);
        return informers;
    }

    private ClusterInformers(KubernetesClient client, String namespace, ConfigTracker config, Runnable onChange,
            Consumer<List<NodeView>> onNodes) {
        this.config = config;
        // Busy clusters change Services, endpoints and Node status all the time; only changes
        // that can move ownership wake the loop, so its cost follows what matters.
        services = client.services().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(handler(onChange, s -> ObjectViews.service(s).isPresent(),
                (a, b) -> !ObjectViews.service(a).equals(ObjectViews.service(b))));

        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        slices.addIndexers(Map.of(BY_SERVICE, s -> ObjectViews.serviceOf(s).map(k -> List.of(k.toString())).orElse(List.of())));
        slices.addEventHandler(handler(onChange, this::feedsLocalService, (a, b) -> !readyNodes(a).equals(readyNodes(b))
                && (feedsLocalService(a) || feedsLocalService(b))));

        nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(handler(() -> {
            onNodes.accept(nodes());
            onChange.run();
        }, n -> true, (a, b) -> !ObjectViews.node(a).equals(ObjectViews.node(b))));

        pools = client.resources(IPAddressPool.class).inNamespace(namespace).runnableInformer(0);
        advertisements = client.resources(L2Advertisement.class).inNamespace(namespace).runnableInformer(0);
        onConfig = () -> {
            if (!pools.hasSynced() || !advertisements.hasSynced()) {
                return;
            }
            if (config.update(pools.getStore().list(), advertisements.getStore().list())) {
                onChange.run();
            }
        };
        pools.addEventHandler(handler(onConfig, o -> true, (a, b) -> true));
        advertisements.addEventHandler(handler(onConfig, o -> true, (a, b) -> true));
    }

    private boolean feedsLocalService(EndpointSlice slice) {
        return ObjectViews.serviceOf(slice)
                .map(k -> services.getStore().getByKey(k.namespace() + "/" + k.name()))
                .flatMap(ObjectViews::service)
                .map(ServiceView::localTrafficPolicy)
                .orElse(false);
    }

    private static Set<String> readyNodes(EndpointSlice slice) {
        Set<String> out = new HashSet<>();
        ObjectViews.addReadyNodes(slice, out);
        return out;
    }

    /**
     * @param matters     whether an added or deleted object can affect ownership
     * @param changeMatters whether an update can
     */
    private static <T> ResourceEventHandler<T> handler(Runnable onChange, Predicate<T> matters,
            BiPredicate<T, T> changeMatters) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                if (matters.test(obj)) {
                    onChange.run();
                }
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (changeMatters.test(oldObj, newObj)) {
                    onChange.run();
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                if (matters.test(obj)) {
                    onChange.run();
                }
            }

            @Override
            public void onNothing() {
                onChange.run();
            }
        };
    }

    /** True once every informer has listed its objects at least once. */
    public boolean synced() {
        return services.hasSynced() && slices.hasSynced() && nodes.hasSynced() && pools.hasSynced()
                && advertisements.hasSynced();
    }

    public List<NodeView> nodes() {
        List<NodeView> out = new ArrayList<>();
        for (Node n : nodes.getStore().list()) {
            out.add(ObjectViews.node(n));
        }
        return out;
    }

    /**
     * The inputs of one recompute. Linear in Services plus Nodes; endpoints are looked up
     * through the index only for Services with {@code externalTrafficPolicy: Local}.
     */
    public ClusterSnapshot snapshot() {
        List<ServiceView> views = new ArrayList<>();
        Map<ServiceKey, Set<String>> ready = new HashMap<>();
        for (Service s : services.getStore().list()) {
            ObjectViews.service(s).ifPresent(v -> {
                views.add(v);
                if (v.localTrafficPolicy()) {
                    Set<String> nodesWithEndpoints = new HashSet<>();
                    for (EndpointSlice slice : slices.getIndexer().byIndex(BY_SERVICE, v.key().toString())) {
                        ObjectViews.addReadyNodes(slice, nodesWithEndpoints);
                    }
                    ready.put(v.key(), Set.copyOf(nodesWithEndpoints));
                }
            });
        }
        Map<String, NodeView> byName = new HashMap<>();
        for (NodeView n : nodes()) {
            byName.put(n.name(), n);
        }
        return new ClusterSnapshot(views, byName, ready, config.current());
    }

    @Override
    public void close() {
        services.close();
        slices.close();
        nodes.close();
        pools.close();
        advertisements.close();
    }
}
