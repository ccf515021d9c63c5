package dev.ferrite.lab.drill;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import dev.ferrite.lab.apiserver.EmbeddedApiServer;
import dev.ferrite.lab.netns.Topology;
import dev.ferrite.lab.proxy.ClusterView;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes objects a drill needs: a Node per lab node (the embedded API server has
 * none; speakers elect only among Nodes they see), one IPAddressPool and one
 * L2Advertisement in the Ferrite namespace, M LoadBalancer Services, and their
 * EndpointSlices (the lab is the EndpointSlice controller of its pods). Against a real
 * cluster ({@code --kubeconfig}) Nodes are left alone: they exist already.
 */
public final class LabObjects {
    private static final Logger LOG = LoggerFactory.getLogger(LabObjects.class);
    public static final String FERRITE_NAMESPACE = "ferrite-system";
    public static final String SERVICE_NAMESPACE = "default";
    public static final String POOL = "lab";
    public static final String ADVERTISEMENT = "lab";
    public static final String SERVICE_PREFIX = "drill-";
    /** Marks objects the lab created, so a second lab never deletes someone else's. */
    public static final String OWNED_LABEL = "ferrite.dev/lab";

    private final KubernetesClient client;

    public LabObjects(KubernetesClient client) {
        this.client = client;
    }

    public void createNamespaces() {
        for (String ns : List.of(FERRITE_NAMESPACE, SERVICE_NAMESPACE)) {
            if (client.namespaces().withName(ns).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
        }
    }

    /**
     * A Ready Node per lab node, with its lab addresses as InternalIPs, IPv4 first, as kubelet
     * lists them on a dual-stack node (speakers find peers by the first, and hand off each
     * family's flows through that family's address).
     */
    public void createNodes(Map<String, List<String>> internalIpsByNode) {
        for (Map.Entry<String, List<String>> e : internalIpsByNode.entrySet()) {
            NodeStatusBuilder status = new NodeStatusBuilder();
            e.getValue().forEach(ip -> status.addNewAddress().withType("InternalIP").withAddress(ip).endAddress());
            status.addNewAddress().withType("Hostname").withAddress(e.getKey()).endAddress()
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition();
            Node node = new NodeBuilder()
                    .withNewMetadata().withName(e.getKey())
                    .addToLabels("kubernetes.io/hostname", e.getKey()).addToLabels(OWNED_LABEL, "true").endMetadata()
                    .withStatus(status.build())
                    .build();
            client.nodes().resource(node).createOr(n -> n.update());
        }
    }

    public void createPool(List<String> addresses) {
        IPAddressPool pool = new IPAddressPool();
        pool.setMetadata(new ObjectMetaBuilder().withName(POOL).withNamespace(FERRITE_NAMESPACE).addToLabels(OWNED_LABEL, "true").build());
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(new ArrayList<>(addresses));
        pool.setSpec(spec);
        client.resources(IPAddressPool.class).inNamespace(FERRITE_NAMESPACE).resource(pool).createOr(p -> p.update());

        L2Advertisement adv = new L2Advertisement();
        adv.setMetadata(new ObjectMetaBuilder().withName(ADVERTISEMENT).withNamespace(FERRITE_NAMESPACE).addToLabels(OWNED_LABEL, "true").build());
        L2AdvertisementSpec advSpec = new L2AdvertisementSpec();
        advSpec.setIpAddressPools(List.of(POOL));
        adv.setSpec(advSpec);
        client.resources(L2Advertisement.class).inNamespace(FERRITE_NAMESPACE).resource(adv).createOr(a -> a.update());
        LOG.info("IPAddressPool {}/{} with {} and L2Advertisement {}/{} created", FERRITE_NAMESPACE, POOL, addresses,
                FERRITE_NAMESPACE, ADVERTISEMENT);
    }

    public static String serviceName(int i) {
        return SERVICE_PREFIX + i;
    }

    /** M single-stack IPv4 LoadBalancer Services on port 80 (externalTrafficPolicy Cluster). */
    public List<String> createServices(int count) {
        return createServices(count, Integer.MAX_VALUE);
    }

    /**
     * M single-stack LoadBalancer Services on port 80: the first {@code ipv4Capacity} IPv4
     * (the lab's /24 holds only so many VIPs), the rest IPv6.
     */
    public List<String> createServices(int count, int ipv4Capacity) {
        return createServices(count, ipv4Capacity, TrafficPolicy.CLUSTER);
    }

    /** As {@link #createServices(int, int)}, each Service's externalTrafficPolicy chosen by {@code policy}. */
    public List<String> createServices(int count, int ipv4Capacity, TrafficPolicy policy) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = serviceName(i);
            Service s = new ServiceBuilder()
                    .withNewMetadata().withName(name).withNamespace(SERVICE_NAMESPACE).addToLabels(OWNED_LABEL, "true").endMetadata()
                    .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy(policy.isLocal(i) ? "Local" : "Cluster")
                    .withIpFamilies(i < ipv4Capacity ? "IPv4" : "IPv6").withIpFamilyPolicy("SingleStack")
                    .addToSelector("app", name)
                    .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                    .endSpec().build();
            client.services().resource(s).createOr(x -> x.update());
            names.add(name);
        }
        return names;
    }

    /**
     * Writes the EndpointSlice of a Service ({@link #endpointSlice}) with one server-side apply,
     * which creates or replaces it: one request where a create, a read and an update were
     * three. (Not a JSON merge patch: fabric8's mock appends to lists where the RFC replaces them.)
     */
    public void writeEndpointSlice(String service, boolean ipv6, List<Topology.Pod> running) {
        client.discovery().v1().endpointSlices().inNamespace(SERVICE_NAMESPACE)
                .resource(endpointSlice(service, ipv6, running)).forceConflicts().serverSideApply();
    }

    /** Deletes the EndpointSlice {@link #writeEndpointSlice} wrote for {@code service}. */
    public void deleteEndpointSlice(String service) {
        client.discovery().v1().endpointSlices().inNamespace(SERVICE_NAMESPACE).withName(sliceName(service)).delete();
    }

    private static String sliceName(String service) {
        return service + "-lab";
    }

    /**
     * Writes these objects with the embedded API server's batch apply, one request for all
     * (each applied as by its own server-side apply): how the lab's EndpointSlice controller
     * writes a cut-off node's slices at 100 Services without 100 round trips. Only the embedded
     * server has it.
     */
    public void applyAtOnce(List<? extends HasMetadata> objects) {
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + EmbeddedApiServer.BATCH_APPLY_PATH;
        // raw answers null for a 404 and throws for the other failures
        String answer = client.raw(url, "POST", objects);
        if (answer == null || !answer.contains("\"" + objects.size() + " applied\"")) {
            throw new IllegalStateException("the API server at " + client.getMasterUrl() + " did not apply the "
                    + objects.size() + " objects at once: " + answer);
        }
    }

    /**
     * The EndpointSlice of a Service as the EndpointSlice controller would write it: one slice
     * named after the Service, labelled with its name, port {@code http} 80, one ready
     * endpoint per running pod (of the Service's family) with the pod's {@code nodeName}.
     */
    public static EndpointSlice endpointSlice(String service, boolean ipv6, List<Topology.Pod> running) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Topology.Pod pod : running) {
            endpoints.add(new EndpointBuilder()
                    .withAddresses((ipv6 ? pod.host().ipv6() : pod.host().ipv4()).toString())
                    .withNodeName(pod.node().name())
                    .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(pod.name()).withNamespace(SERVICE_NAMESPACE).endTargetRef()
                    .build());
        }
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(sliceName(service)).withNamespace(SERVICE_NAMESPACE)
                .addToLabels(ClusterView.SERVICE_NAME_LABEL, service).addToLabels(OWNED_LABEL, "true")
                .addToLabels("endpointslice.kubernetes.io/managed-by", "lab.ferrite.dev").endMetadata()
                .withAddressType(ipv6 ? "IPv6" : "IPv4")
                .withEndpoints(endpoints)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .build();
    }

    /** The first ingress IP of each drill Service that has one, by Service name. */
    public Map<String, String> assignedIps(List<String> names) {
        Map<String, String> ips = new LinkedHashMap<>();
        for (String name : names) {
            Service s = client.services().inNamespace(SERVICE_NAMESPACE).withName(name).get();
            firstIngress(s).ifPresent(ip -> ips.put(name, ip));
        }
        return ips;
    }

    static Optional<String> firstIngress(Service s) {
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null) {
            return Optional.empty();
        }
        return s.getStatus().getLoadBalancer().getIngress().stream()
                .map(LoadBalancerIngress::getIp).filter(ip -> ip != null && !ip.isEmpty()).findFirst();
    }

    /** Polls until every Service has an IP or the deadline passes; returns what was assigned. */
    public Map<String, String> awaitIps(List<String> names, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> ips = assignedIps(names);
        for (int i = 0; i < 10_000 && ips.size() < names.size() && System.nanoTime() < deadline; i++) {
            Thread.sleep(100);
            ips = assignedIps(names);
        }
        return ips;
    }

    /** Removes what createServices/createPool made (objects carrying the lab label only). */
    public void deleteAll() {
        client.services().inNamespace(SERVICE_NAMESPACE).withLabel(OWNED_LABEL, "true").delete();
        client.discovery().v1().endpointSlices().inNamespace(SERVICE_NAMESPACE).withLabel(OWNED_LABEL, "true").delete();
        client.resources(L2Advertisement.class).inNamespace(FERRITE_NAMESPACE).withLabel(OWNED_LABEL, "true").delete();
        client.resources(IPAddressPool.class).inNamespace(FERRITE_NAMESPACE).withLabel(OWNED_LABEL, "true").delete();
    }
}
