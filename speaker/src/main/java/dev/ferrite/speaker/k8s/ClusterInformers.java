package dev.ferrite.speaker.k8s;

import dev.ferrite.api.kube.Informers;
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
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Watches everything the election reads: Services and EndpointSlices in every namespace,
 * Nodes, and the speaker namespace's IPAddressPools and L2Advertisements. Each event only
 * signals a change; {@link #snapshot()} reads the caches when the ownership loop recomputes.
 */
public final class ClusterInformers implements AutoCloseable {

    private static final String BY_SERVICE = "service";

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<IPAddressPool> pools;
    private final SharedIndexInformer<L2Advertisement> advertisements;
    private final ConfigTracker config;
    private final Runnable onConfig;
    private final Optional<String> lbClass;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    /**
     * The view of each Service object in the store at the last snapshot, by identity: the store
     * replaces an object when it changes, so a view is read out of each object once, not at
     * every recompute (at 1,000 Services that was a tenth of a speaker's recomputing in a burst).
     */
    private Map<Service, Optional<ServiceView>> views = new IdentityHashMap<>();

    /**
     * Creates and starts the informers. {@code onChange} is called from informer threads for
     * every change that can move ownership, {@code onNodes} with all Nodes when Nodes change.
     */
    public static ClusterInformers start(KubernetesClient client, String namespace, Optional<String> lbClass,
            ConfigTracker config, Runnable onChange, Consumer<List<NodeView>> onNodes) {
        ClusterInformers informers = new ClusterInformers(client, namespace, lbClass, config, onChange, onNodes);
        // Started so that they retry until the API answers: a speaker started before the API is
        // reachable becomes ready once it is.
        CompletableFuture<Void> listed = CompletableFuture.allOf(Informers.start(informers.services),
                Informers.start(informers.slices), Informers.start(informers.nodes));
        // The config is validated only once both kinds are listed, so a half-listed config
        // (advertisements naming pools not seen yet) is never reported as invalid.
        CompletableFuture<Void> configListed = CompletableFuture.allOf(Informers.start(informers.pools),
                Informers.start(informers.advertisements)).thenRun(informers.onConfig);
        CompletableFuture.allOf(listed, configListed).whenComplete((v, e) -> informers.synced.complete(null));
        return informers;
    }

    private ClusterInformers(KubernetesClient client, String namespace, Optional<String> lbClass, ConfigTracker config,
            Runnable onChange, Consumer<List<NodeView>> onNodes) {
        this.config = config;
        this.lbClass = lbClass;
        // Busy clusters change Services, endpoints and Node status all the time; only changes
        // that can move ownership wake the loop, so its cost follows what matters. The caches
        // keep only the fields the election reads (TrimmedStore).
        services = client.services().inAnyNamespace().runnableInformer(0).itemStore(TrimmedStore.services());
        services.addEventHandler(Informers.signalling(onChange, s -> ObjectViews.service(s, lbClass).isPresent(),
                (a, b) -> !ObjectViews.service(a, lbClass).equals(ObjectViews.service(b, lbClass))));

        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0)
                .itemStore(TrimmedStore.endpointSlices());
        slices.addIndexers(Map.of(BY_SERVICE, s -> ObjectViews.serviceOf(s).map(k -> List.of(k.toString())).orElse(List.of())));
        slices.addEventHandler(Informers.signalling(onChange, this::feedsLocalService, (a, b) -> !readyNodes(a).equals(readyNodes(b))
                && (feedsLocalService(a) || feedsLocalService(b))));

        nodes = client.nodes().runnableInformer(0).itemStore(TrimmedStore.nodes());
        nodes.addEventHandler(Informers.signalling(() -> {
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
        pools.addEventHandler(Informers.signalling(onConfig, o -> true, (a, b) -> true));
        advertisements.addEventHandler(Informers.signalling(onConfig, o -> true, (a, b) -> true));
    }

    private boolean feedsLocalService(EndpointSlice slice) {
        return ObjectViews.serviceOf(slice)
                .map(k -> services.getStore().getByKey(k.namespace() + "/" + k.name()))
                .flatMap(s -> ObjectViews.service(s, lbClass))
                .map(ServiceView::localTrafficPolicy)
                .orElse(false);
    }

    private static Set<String> readyNodes(EndpointSlice slice) {
        Set<String> out = new HashSet<>();
        ObjectViews.addReadyNodes(slice, out);
        return out;
    }

    /**
     * Completes once every informer has listed its objects and the config is validated (or an
     * informer gave up; {@link #synced()} tells).
     */
    public CompletableFuture<Void> whenSynced() {
        return synced;
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
    public synchronized ClusterSnapshot snapshot() {
        List<ServiceView> serviceViews = new ArrayList<>();
        Map<ServiceKey, Set<String>> ready = new HashMap<>();
        Map<Service, Optional<ServiceView>> read = new IdentityHashMap<>();
        for (Service s : services.getStore().list()) {
            Optional<ServiceView> view = views.get(s);
            if (view == null) {
                view = ObjectViews.service(s, lbClass);
            }
            read.put(s, view);
            view.ifPresent(v -> {
                serviceViews.add(v);
                if (v.localTrafficPolicy()) {
                    Set<String> nodesWithEndpoints = new HashSet<>();
                    for (EndpointSlice slice : slices.getIndexer().byIndex(BY_SERVICE, v.key().toString())) {
                        ObjectViews.addReadyNodes(slice, nodesWithEndpoints);
                    }
                    ready.put(v.key(), Set.copyOf(nodesWithEndpoints));
                }
            });
        }
        views = read;
        Map<String, NodeView> byName = new HashMap<>();
        for (NodeView n : nodes()) {
            byName.put(n.name(), n);
        }
        return new ClusterSnapshot(serviceViews, byName, ready, config.current());
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
