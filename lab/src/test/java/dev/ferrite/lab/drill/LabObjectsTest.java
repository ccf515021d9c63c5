package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.lab.apiserver.EmbeddedApiServer;
import dev.ferrite.lab.netns.Topology;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabObjectsTest {
    EmbeddedApiServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        server = new EmbeddedApiServer();
        String url = server.start(InetAddress.getLoopbackAddress(), 0);
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createsReadyNodesWithTheirLabAddressAsInternalIp() {
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        nodes.put("node-1", List.of("198.18.0.11", "2001:db8::11"));
        nodes.put("node-2", List.of("198.18.0.12", "2001:db8::12"));
        new LabObjects(client).createNodes(nodes);
        Node n = client.nodes().withName("node-2").get();
        assertEquals(List.of("198.18.0.12", "2001:db8::12"), n.getStatus().getAddresses().stream()
                .filter(a -> a.getType().equals("InternalIP")).map(a -> a.getAddress()).toList());
        assertTrue(n.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    }

    @Test
    void createsOnePoolOneAdvertisementAndTheRequestedServices() {
        LabObjects objects = new LabObjects(client);
        objects.createNamespaces();
        objects.createPool(List.of("198.18.0.200-198.18.0.250", "2001:db8::c8-2001:db8::fa"));
        List<String> names = objects.createServices(3);
        assertEquals(List.of("drill-0", "drill-1", "drill-2"), names);
        assertEquals(2, client.resources(IPAddressPool.class).inNamespace(LabObjects.FERRITE_NAMESPACE)
                .withName(LabObjects.POOL).get().getSpec().getAddresses().size());
        assertEquals(List.of(LabObjects.POOL), client.resources(L2Advertisement.class).inNamespace(LabObjects.FERRITE_NAMESPACE)
                .withName(LabObjects.ADVERTISEMENT).get().getSpec().getIpAddressPools());
        Service s = client.services().inNamespace("default").withName("drill-1").get();
        assertEquals("LoadBalancer", s.getSpec().getType());
        assertEquals(80, s.getSpec().getPorts().get(0).getPort());
    }

    @Test
    void deleteAllRemovesWhatTheLabMadeAndNothingElse() {
        LabObjects objects = new LabObjects(client);
        objects.createNamespaces();
        objects.createPool(List.of("198.18.0.200-198.18.0.250"));
        objects.createServices(2);
        client.services().inNamespace(LabObjects.SERVICE_NAMESPACE).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("operators-own").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(443).endPort().endSpec().build()).create();

        objects.deleteAll();

        assertEquals(List.of("operators-own"), client.services().inNamespace(LabObjects.SERVICE_NAMESPACE).list().getItems()
                .stream().map(x -> x.getMetadata().getName()).toList());
        assertEquals(List.of(), client.resources(IPAddressPool.class).inNamespace(LabObjects.FERRITE_NAMESPACE).list().getItems());
        assertEquals(List.of(), client.resources(L2Advertisement.class).inNamespace(LabObjects.FERRITE_NAMESPACE).list().getItems());
    }

    @Test
    void awaitIpsReportsOnlyServicesThatGotAnAddress() throws Exception {
        LabObjects objects = new LabObjects(client);
        List<String> names = objects.createServices(2);
        Service s = client.services().inNamespace("default").withName("drill-0").get();
        s.setStatus(new ServiceStatusBuilder().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp("198.18.0.200").build()).endLoadBalancer().build());
        client.services().resource(s).updateStatus();
        Map<String, String> ips = objects.awaitIps(names, Duration.ofMillis(300));
        assertEquals(Map.of("drill-0", "198.18.0.200"), ips);
    }

    @Test
    void endpointSlicesWrittenAtOnceListEveryRunningPodWithItsNode() {
        Topology t = Topology.of("fxobj-", "t1", 2);
        LabObjects objects = new LabObjects(client);
        objects.applyAtOnce(List.of(LabObjects.endpointSlice("drill-0", false, t.pods()),
                LabObjects.endpointSlice("drill-1", true, t.podsOn(t.node(2)))));
        EndpointSlice v4 = client.discovery().v1().endpointSlices().inNamespace(LabObjects.SERVICE_NAMESPACE).withName("drill-0-lab").get();
        assertEquals(t.pods().stream().map(p -> p.host().ipv4().toString() + "@" + p.node().name()).toList(),
                v4.getEndpoints().stream().map(e -> e.getAddresses().get(0) + "@" + e.getNodeName()).toList());
        EndpointSlice v6 = client.discovery().v1().endpointSlices().inNamespace(LabObjects.SERVICE_NAMESPACE).withName("drill-1-lab").get();
        assertEquals("IPv6", v6.getAddressType());
        assertEquals(List.of(t.podsOn(t.node(2)).get(0).host().ipv6().toString()), v6.getEndpoints().get(0).getAddresses());
    }
}
