package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectViewsTest {

    private static Service service(String type, Map<String, String> annotations, String policy, String... ips) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("u1")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withType(type).withExternalTrafficPolicy(policy).endSpec()
                .withNewStatus().withNewLoadBalancer().endLoadBalancer().endStatus();
        Service s = b.build();
        for (String ip : ips) {
            s.getStatus().getLoadBalancer().getIngress().add(new io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder()
                    .withIp(ip).build());
        }
        return s;
    }

    private static final Map<String, String> POOL = Map.of(Annotations.IP_ALLOCATED_FROM_POOL, "lab");

    @Test
    void onlyAllocatedLoadBalancerServicesWithIngressIpsAreAnnounceable() {
        record Case(String why, Service service, boolean announceable) {
        }
        for (Case c : List.of(
                new Case("allocated LoadBalancer", service("LoadBalancer", POOL, "Cluster", "198.18.0.200"), true),
                new Case("ClusterIP", service("ClusterIP", POOL, "Cluster", "198.18.0.200"), false),
                new Case("no pool annotation", service("LoadBalancer", Map.of(), "Cluster", "198.18.0.200"), false),
                new Case("MetalLB pool annotation", service("LoadBalancer",
                        Map.of("metallb.io/ip-allocated-from-pool", "lab"), "Cluster", "198.18.0.200"), true),
                new Case("no ingress yet", service("LoadBalancer", POOL, "Cluster"), false),
                new Case("hostname ingress only", service("LoadBalancer", POOL, "Cluster", "lb.example"), false))) {
            assertEquals(c.announceable(), ObjectViews.service(c.service()).isPresent(), c.why());
        }
    }

    @Test
    void serviceViewCarriesIpsPoolAndTrafficPolicy() {
        ServiceView v = ObjectViews.service(service("LoadBalancer", POOL, "Local", "198.18.0.200", "2001:db8::200",
                "198.18.0.200")).orElseThrow();
        assertEquals(new ServiceKey("default", "web"), v.key());
        assertEquals(List.of(IpAddress.parse("198.18.0.200").orElseThrow(), IpAddress.parse("2001:db8::200").orElseThrow()), v.ips());
        assertEquals("lab", v.pool());
        assertTrue(v.localTrafficPolicy());
    }

    @Test
    void readyNodesCountEndpointsWithoutAReadyConditionAsReady() {
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName("web-x")
                .addToLabels(ObjectViews.SERVICE_NAME_LABEL, "web").endMetadata()
                .addNewEndpoint().withAddresses("10.0.0.1").withNodeName("node-a").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.0.0.2").withNodeName("node-b").withNewConditions().withReady(false).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.0.0.3").withNodeName("node-c").endEndpoint()
                .addNewEndpoint().withAddresses("10.0.0.4").endEndpoint()
                .build();
        Set<String> nodes = new HashSet<>();
        ObjectViews.addReadyNodes(slice, nodes);
        assertEquals(Set.of("node-a", "node-c"), nodes);
        assertEquals(Optional.of(new ServiceKey("default", "web")), ObjectViews.serviceOf(slice));
    }

    @Test
    void nodeViewReadsNetworkUnavailableAndTheFirstInternalIp() {
        NodeView n = ObjectViews.node(new NodeBuilder().withNewMetadata().withName("node-a").addToLabels("zone", "z1").endMetadata()
                .withNewStatus()
                .addNewAddress().withType("Hostname").withAddress("node-a").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("198.18.1.10").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("2001:db8::10").endAddress()
                .addNewCondition().withType("NetworkUnavailable").withStatus("True").endCondition()
                .endStatus().build());
        assertEquals(Optional.of("198.18.1.10"), n.internalIp());
        assertTrue(n.networkUnavailable());
        assertEquals(Map.of("zone", "z1"), n.labels());
        NodeView ok = ObjectViews.node(new NodeBuilder().withNewMetadata().withName("node-b").endMetadata()
                .withNewStatus().addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition()
                .endStatus().build());
        assertFalse(ok.networkUnavailable());
    }
}
