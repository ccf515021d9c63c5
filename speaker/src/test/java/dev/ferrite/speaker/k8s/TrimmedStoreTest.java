package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
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

class TrimmedStoreTest {

    private static Service loadBalancer(String policy, String lbClass) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace("shop").withName("web").withUid("u1").withResourceVersion("42")
                .withLabels(Map.of("tier", "front"))
                .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{\"a\":1}"))
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build()).endMetadata()
                .withNewSpec().withType("LoadBalancer").withLoadBalancerClass(lbClass).withExternalTrafficPolicy(policy)
                .withClusterIP("10.0.0.7").withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).endPort().endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("198.18.4.1").withIpMode("VIP").endIngress()
                .addNewIngress().withIp("2001:db8::1").endIngress().endLoadBalancer().endStatus()
                .build();
    }

    @Test
    void aTrimmedLoadBalancerGivesTheSameViewWithoutTheRest() {
        for (String policy : List.of("Cluster", "Local")) {
            for (Optional<String> lbClass : List.of(Optional.<String>empty(), Optional.of("ferrite.dev/l2"))) {
                Service full = loadBalancer(policy, lbClass.orElse(null));
                Service trimmed = TrimmedStore.service(full);
                for (Optional<String> speakerClass : List.of(Optional.<String>empty(), Optional.of("ferrite.dev/l2"))) {
                    assertEquals(ObjectViews.service(full, speakerClass), ObjectViews.service(trimmed, speakerClass));
                }
                assertEquals("42", trimmed.getMetadata().getResourceVersion());
                assertTrue(trimmed.getMetadata().getAnnotations().isEmpty());
                assertTrue(trimmed.getMetadata().getManagedFields().isEmpty());
                assertNull(trimmed.getSpec().getClusterIP());
                assertTrue(trimmed.getSpec().getPorts().isEmpty());
            }
        }
    }

    @Test
    void anyOtherServiceKeepsOnlyItsIdentityAndType() {
        Service full = new ServiceBuilder(loadBalancer("Cluster", null)).editSpec().withType("ClusterIP").endSpec().build();
        Service trimmed = TrimmedStore.service(full);
        assertEquals(Optional.empty(), ObjectViews.service(trimmed, Optional.empty()));
        assertEquals("ClusterIP", trimmed.getSpec().getType());
        assertNull(trimmed.getMetadata().getLabels());
        assertNull(trimmed.getStatus());
        assertEquals("shop/web", TrimmedStore.services().getKey(trimmed));
    }

    @Test
    void aTrimmedSliceKeepsItsServiceAndReadyNodes() {
        EndpointSlice full = new EndpointSliceBuilder()
                .withNewMetadata().withNamespace("shop").withName("web-abc").withResourceVersion("7")
                .withLabels(Map.of(ObjectViews.SERVICE_NAME_LABEL, "web", "endpointslice.kubernetes.io/managed-by", "x"))
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.1.0.5").withNodeName("node1").withNewConditions().withReady(true)
                .withServing(true).endConditions().withNewTargetRef().withKind("Pod").withName("p1").endTargetRef().endEndpoint()
                .addNewEndpoint().withAddresses("10.1.0.6").withNodeName("node2").withNewConditions().withReady(false)
                .endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.1.0.7").withNodeName("node3").endEndpoint()
                .addNewPort().withName("http").withPort(8080).endPort()
                .build();
        EndpointSlice trimmed = TrimmedStore.endpointSlice(full);
        assertEquals(ObjectViews.serviceOf(full), ObjectViews.serviceOf(trimmed));
        assertEquals(readyNodes(full), readyNodes(trimmed));
        assertEquals(Set.of("node1", "node3"), readyNodes(trimmed));
        assertEquals(Map.of(ObjectViews.SERVICE_NAME_LABEL, "web"), trimmed.getMetadata().getLabels());
        assertTrue(trimmed.getPorts().isEmpty());
        assertTrue(trimmed.getEndpoints().get(0).getAddresses().isEmpty());
        assertNull(trimmed.getEndpoints().get(0).getTargetRef());
    }

    @Test
    void aTrimmedNodeGivesTheSameView() {
        Node full = new NodeBuilder()
                .withNewMetadata().withName("node1").withResourceVersion("9").withLabels(Map.of("zone", "a"))
                .withAnnotations(Map.of("node.alpha.kubernetes.io/ttl", "0")).endMetadata()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("198.18.0.11").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("2001:db8::11").endAddress()
                .addNewAddress().withType("Hostname").withAddress("node1").endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withMessage("kubelet is posting ready status")
                .endCondition()
                .addNewCondition().withType("NetworkUnavailable").withStatus("True").endCondition()
                .addNewImage().withNames("registry.example/app:1").withSizeBytes(123456789L).endImage()
                .withNewNodeInfo().withKubeletVersion("v1.31.0").endNodeInfo()
                .endStatus()
                .build();
        Node trimmed = TrimmedStore.node(full);
        assertEquals(ObjectViews.node(full), ObjectViews.node(trimmed));
        assertTrue(ObjectViews.node(trimmed).networkUnavailable());
        assertTrue(trimmed.getStatus().getImages().isEmpty());
        assertNull(trimmed.getStatus().getNodeInfo());
        assertEquals(1, trimmed.getStatus().getConditions().size());
        assertEquals("node1", TrimmedStore.nodes().getKey(trimmed));
    }

    @Test
    void theStoreKeepsTrimmedCopies() {
        TrimmedStore<Service> store = TrimmedStore.services();
        Service full = loadBalancer("Cluster", null);
        assertNull(store.put("shop/web", full));
        assertEquals(1, store.size());
        assertTrue(store.get("shop/web").getSpec().getPorts().isEmpty());
        assertEquals(List.of("shop/web"), store.keySet().toList());
        assertEquals(1, store.values().count());
        assertEquals("42", store.remove("shop/web").getMetadata().getResourceVersion());
        assertEquals(0, store.size());
    }

    private static Set<String> readyNodes(EndpointSlice slice) {
        Set<String> out = new HashSet<>();
        ObjectViews.addReadyNodes(slice, out);
        return out;
    }
}
