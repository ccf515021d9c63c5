package dev.ferrite.speaker.k8s;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.speaker.k8s.ObjectViews.SliceView;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watches everything the election reads: Services and EndpointSlices in every namespace,
 * Nodes, and the speaker namespace's IPAddressPools and L2Advertisements. Each event only
 * signals a change; {@link #snapshot()} reads the caches when the ownership loop recomputes.
 *
 * <p>Every kind is listed and watched as JSON ({@link ListWatch}). Services, EndpointSlices
 * and Nodes, the kinds that grow with the cluster, are kept as views of the fields the election
 * reads ({@link ObjectViews}); nothing else of them is kept. The config kinds, few, are read
 * into their model classes ({@link ConfigObjects}) for the shared config parser.
 */
public final class ClusterInformers implements AutoCloseable {

    /** The group and version of IPAddressPools and L2Advertisements. */
    static final String CONFIG_GROUP_VERSION = "ferrite.dev/v1beta1";

    private final ListWatch<ServiceView> services;
    private final ListWatch<SliceView> slices;
    private final ListWatch<NodeView> nodes;
    /** The ready nodes of each slice (by its name) of each Service, kept by the slices' handler. */
    private final Map<ServiceKey, Map<String, Set<String>>> readyBySlice = new ConcurrentHashMap<>();
    private final ListWatch<IPAddressPool> pools;
    private final ListWatch<L2Advertisement> advertisements;
    private final ConfigTracker config;
    private final Runnable onChange;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();

    /**
     * Creates and starts the informers. {@code onChange} is called from informer threads for
     * every change that can move ownership, {@code onNodes} with all Nodes when Nodes change.
     */
    public static ClusterInformers start(KubeApi api, String namespace, Optional<String> lbClass,
            ConfigTracker config, Runnable onChange, Consumer<List<NodeView>> onNodes) {
        ClusterInformers informers = new ClusterInformers(api, namespace, lbClass, config, onChange, onNodes);
        // They retry until the API answers: a speaker started before the API is reachable
        // becomes ready once it is.
        CompletableFuture<Void> listed = CompletableFuture.allOf(informers.services.start(), informers.slices.start(),
                informers.nodes.start());
        // The config is validated only once both kinds are listed, so a half-listed config
        // (advertisements naming pools not seen yet) is never reported as invalid.
        CompletableFuture<Void> configListed = CompletableFuture.allOf(informers.pools.start(),
                informers.advertisements.start()).thenRun(informers::configChanged);
        CompletableFuture.allOf(listed, configListed).whenComplete((v, e) -> informers.synced.complete(null));
        return informers;
    }

    private ClusterInformers(KubeApi api, String namespace, Optional<String> lbClass, ConfigTracker config,
            Runnable onChange, Consumer<List<NodeView>> onNodes) {
        this.config = config;
        // Busy clusters change Services, endpoints and Node status all the time; only changes
        // of what the election reads wake the loop, so its cost follows what matters. A Service
        // is kept only while it is announceable, so any change of a kept view matters.
        services = new ListWatch<>("Services", api, "/api/v1/services", in -> ObjectViews.service(in, lbClass),
                (before, after) -> onChange.run(), onChange);
        slices = new ListWatch<>("EndpointSlices", api, "/apis/discovery.k8s.io/v1/endpointslices", ObjectViews::slice,
                (before, after) -> {
                    if (before != null) {
                        readyBySlice.computeIfPresent(before.service(), (k, bySlice) -> {
                            bySlice.remove(before.name());
                            return bySlice.isEmpty() ? null : bySlice;
                        });
                    }
                    if (after != null) {
                        readyBySlice.computeIfAbsent(after.service(), k -> new ConcurrentHashMap<>())
                                .put(after.name(), after.readyNodes());
                    }
                    boolean nodesChanged = before == null || after == null || !before.readyNodes().equals(after.readyNodes());
                    if (nodesChanged && (feedsLocalService(before) || feedsLocalService(after))) {
                        onChange.run();
                    }
                }, onChange);
        Runnable nodesChanged = () -> {
            onNodes.accept(nodes());
            onChange.run();
        };
        nodes = new ListWatch<>("Nodes", api, "/api/v1/nodes", ObjectViews::node, (before, after) -> nodesChanged.run(),
                nodesChanged);

        this.onChange = onChange;
        String configKinds = "/apis/" + CONFIG_GROUP_VERSION + "/namespaces/" + namespace + "/";
        pools = new ListWatch<>("IPAddressPools", api, configKinds + "ipaddresspools", ConfigObjects::pool,
                (before, after) -> configChanged(), this::configChanged);
        advertisements = new ListWatch<>("L2Advertisements", api, configKinds + "l2advertisements",
                ConfigObjects::advertisement, (before, after) -> configChanged(), this::configChanged);
    }

    /** The config kinds changed: validated again once both are listed, the loop woken if the result changed. */
    private void configChanged() {
        if (!pools.hasSynced() || !advertisements.hasSynced()) {
            return;
        }
        if (config.update(pools.list(), advertisements.list())) {
            onChange.run();
        }
    }

    private boolean feedsLocalService(SliceView slice) {
        if (slice == null) {
            return false;
        }
        ServiceView service = services.get(slice.service().namespace() + "/" + slice.service().name());
        return service != null && service.localTrafficPolicy();
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
        return nodes.list();
    }

    /**
     * The inputs of one recompute. Linear in Services plus Nodes; endpoints are read only for
     * Services with {@code externalTrafficPolicy: Local}.
     */
    public ClusterSnapshot snapshot() {
        List<ServiceView> serviceViews = services.list();
        Map<ServiceKey, Set<String>> ready = new HashMap<>();
        for (ServiceView v : serviceViews) {
            if (v.localTrafficPolicy()) {
                Set<String> nodesWithEndpoints = new HashSet<>();
                Map<String, Set<String>> bySlice = readyBySlice.get(v.key());
                if (bySlice != null) {
                    bySlice.values().forEach(nodesWithEndpoints::addAll);
                }
                ready.put(v.key(), Set.copyOf(nodesWithEndpoints));
            }
        }
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
