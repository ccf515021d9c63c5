package dev.ferrite.speaker.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.k8s.ObjectViews.SliceView;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectViewsTest {

    private static Service service(String type, String lbClass, Map<String, String> annotations, String policy,
            String... ips) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("u1")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withType(type).withLoadBalancerClass(lbClass).withExternalTrafficPolicy(policy).endSpec()
                .withNewStatus().withNewLoadBalancer().endLoadBalancer().endStatus();
        Service s = b.build();
        for (String ip : ips) {
            s.getStatus().getLoadBalancer().getIngress().add(new io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder()
                    .withIp(ip).build());
        }
        return s;
    }

    /** The view read out of {@code s}'s JSON, as the API server sends it. */
    private static Optional<ServiceView> view(Service s, Optional<String> lbClass) {
        return Optional.ofNullable(ObjectViews.service(new JsonReader(Serialization.asJson(s)), lbClass).value());
    }

    private static NodeView node(Node n) {
        ObjectViews.Read<NodeView> read = ObjectViews.node(new JsonReader(Serialization.asJson(n)));
        assertEquals(n.getMetadata().getName(), read.key());
        return read.value();
    }

    private static final Map<String, String> POOL = Map.of(Annotations.IP_ALLOCATED_FROM_POOL, "lab");
    private static final Optional<String> CLASSLESS = Optional.empty();

    @Test
    void loadBalancerServicesOfTheSpeakersClassWithIngressIpsAreAnnounceable() {
        record Case(String why, Service service, Optional<String> lbClass, boolean announceable) {
        }
        for (Case c : List.of(
                new Case("allocated LoadBalancer", service("LoadBalancer", null, POOL, "Cluster", "198.18.0.200"), CLASSLESS, true),
                new Case("address in status, pool annotation not written yet",
                        service("LoadBalancer", null, Map.of(), "Cluster", "198.18.0.200"), CLASSLESS, true),
                new Case("ClusterIP", service("ClusterIP", null, POOL, "Cluster", "198.18.0.200"), CLASSLESS, false),
                new Case("no ingress yet", service("LoadBalancer", null, POOL, "Cluster"), CLASSLESS, false),
                new Case("hostname ingress only", service("LoadBalancer", null, POOL, "Cluster", "lb.example"), CLASSLESS, false),
                new Case("another class, speaker serves class-less Services",
                        service("LoadBalancer", "example.com/other", Map.of(), "Cluster", "198.18.0.200"), CLASSLESS, false),
                new Case("the speaker's class", service("LoadBalancer", "ferrite.dev/l2", Map.of(), "Cluster", "198.18.0.200"),
                        Optional.of("ferrite.dev/l2"), true),
                new Case("class-less, speaker serves a class",
                        service("LoadBalancer", null, Map.of(), "Cluster", "198.18.0.200"), Optional.of("ferrite.dev/l2"), false))) {
            assertEquals(c.announceable(), view(c.service(), c.lbClass()).isPresent(), c.why());
        }
    }

    @Test
    void aServiceAsTheApiServerSendsItIsReadForTheElectionsFieldsAlone() {
        String json = """
                {"kind": "Service", "apiVersion": "v1",
                 "metadata": {"name": "web", "namespace": "shop", "uid": "u-7", "resourceVersion": "4711",
                   "labels": {"app": "web", "tier": "front"},
                   "annotations": {"ferrite.dev/ip-allocated-from-pool": "lab", "note": "{\\"json\\": [1, 2]}"},
                   "managedFields": [{"manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1",
                     "fieldsV1": {"f:spec": {"f:ports": {".": {}, "k:{\\"port\\":80}": {}}}}}]},
                 "spec": {"ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 31234}],
                   "selector": {"app": "web"}, "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                   "type": "LoadBalancer", "sessionAffinity": "None", "externalTrafficPolicy": "Local",
                   "healthCheckNodePort": 32000, "ipFamilies": ["IPv4"], "allocateLoadBalancerNodePorts": true,
                   "internalTrafficPolicy": null},
                 "status": {"loadBalancer": {"ingress": [{"ip": "198.18.0.200", "ipMode": "VIP", "ports": null},
                   {"hostname": "web.example"}]}, "conditions": []}}
                """;
        ObjectViews.Read<ServiceView> read = ObjectViews.service(new JsonReader(json), CLASSLESS);
        assertEquals("shop/web", read.key());
        assertEquals("4711", read.resourceVersion());
        assertEquals(new ServiceView(new ServiceKey("shop", "web"), "u-7", Map.of("app", "web", "tier", "front"),
                List.of(IpAddress.parse("198.18.0.200").orElseThrow()), true), read.value());
        assertThrows(JsonReader.JsonException.class,
                () -> ObjectViews.service(new JsonReader(json.replace("\"Local\",", "\"Local\"")), CLASSLESS));
    }

    @Test
    void nullLoadBalancerOrIngressInAnyPlaceReadsAsNoIngress() {
        for (String status : List.of("{\"loadBalancer\": null, \"conditions\": []}", "{\"loadBalancer\": null}",
                "{\"loadBalancer\": {\"ingress\": null}, \"conditions\": null}", "{\"loadBalancer\": {\"ingress\": null}}",
                "null")) {
            String json = "{\"metadata\": {\"name\": \"web\", \"namespace\": \"shop\"},"
                    + " \"spec\": {\"type\": \"LoadBalancer\"}, \"status\": " + status + "}";
            ObjectViews.Read<ServiceView> read = ObjectViews.service(new JsonReader(json), CLASSLESS);
            assertEquals("shop/web", read.key(), status);
            assertNull(read.value(), status);
        }
    }

    @Test
    void serviceViewCarriesIpsAndTrafficPolicy() {
        ServiceView v = view(service("LoadBalancer", null, Map.of(), "Local", "198.18.0.200", "2001:db8::200",
                "198.18.0.200"), CLASSLESS).orElseThrow();
        assertEquals(new ServiceKey("default", "web"), v.key());
        assertEquals(List.of(IpAddress.parse("198.18.0.200").orElseThrow(), IpAddress.parse("2001:db8::200").orElseThrow()), v.ips());
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
        ObjectViews.Read<SliceView> read = ObjectViews.slice(new JsonReader(Serialization.asJson(slice)));
        assertEquals("default/web-x", read.key());
        assertEquals(new SliceView(new ServiceKey("default", "web"), "web-x", Set.of("node-a", "node-c")), read.value());
        EndpointSlice unlabelled = new EndpointSliceBuilder(slice).editMetadata().withLabels(Map.of()).endMetadata().build();
        assertNull(ObjectViews.slice(new JsonReader(Serialization.asJson(unlabelled))).value(), "a slice of no Service");
    }

    @Test
    void nodeViewReadsNetworkUnavailableAndTheFirstInternalIp() {
        NodeView n = node(new NodeBuilder().withNewMetadata().withName("node-a").addToLabels("zone", "z1").endMetadata()
                .withNewStatus()
                .addNewAddress().withType("Hostname").withAddress("node-a").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("198.18.1.10").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("2001:db8::10").endAddress()
                .addNewCondition().withType("NetworkUnavailable").withStatus("True").endCondition()
                .endStatus().build());
        assertEquals(List.of(IpAddress.parse("198.18.1.10").orElseThrow(), IpAddress.parse("2001:db8::10").orElseThrow()),
                n.internalIps());
        assertEquals(Optional.of(IpAddress.parse("198.18.1.10").orElseThrow()), n.internalIp());
        assertTrue(n.networkUnavailable());
        assertEquals(Map.of("zone", "z1"), n.labels());
        NodeView ok = node(new NodeBuilder().withNewMetadata().withName("node-b").endMetadata()
                .withNewStatus().addNewCondition().withType("NetworkUnavailable").withStatus("False").endCondition()
                .endStatus().build());
        assertFalse(ok.networkUnavailable());
        NodeView named = node(new NodeBuilder().withNewMetadata().withName("node-c").endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("node-c.example").endAddress()
                .endStatus().build());
        assertEquals(List.of(), named.internalIps(), "an InternalIP that is no IP address is left out");
    }
}
