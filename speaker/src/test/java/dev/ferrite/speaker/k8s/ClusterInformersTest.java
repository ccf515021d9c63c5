package dev.ferrite.speaker.k8s;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.ClusterSnapshot;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterInformersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    KubernetesClient client;

    private static Service loadBalancer(String name, String ip) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy("Cluster").endSpec();
        if (ip != null) {
            b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).endIngress().endLoadBalancer().endStatus();
        }
        return b.build();
    }

    private static Map<String, List<IpAddress>> ipsByName(ClusterSnapshot snapshot) {
        return snapshot.services().stream().collect(Collectors.toMap(v -> v.key().name(), ServiceView::ips));
    }

    private static List<IpAddress> ips(String... ips) {
        return Arrays.stream(ips).map(ip -> IpAddress.parse(ip).orElseThrow()).toList();
    }

    @Test
    void eachSnapshotShowsTheServicesAsTheyAreNow() throws Exception {
        client.services().resource(loadBalancer("web", "198.18.0.200")).create();
        client.services().resource(loadBalancer("api", null)).create();
        try (ClusterInformers informers = ClusterInformers.start(MockApi.of(client), "ferrite-system", Optional.empty(),
                new ConfigTracker(ConfigParser::parse), () -> { }, nodes -> { })) {
            informers.whenSynced().get(10, TimeUnit.SECONDS);
            assertEquals(Map.of("web", ips("198.18.0.200")), ipsByName(informers.snapshot()));
            assertEquals(Map.of("web", ips("198.18.0.200")), ipsByName(informers.snapshot()), "read again, unchanged");

            // a changed address, an address arriving, a Service gone: each seen by the next snapshot
            client.services().resource(loadBalancer("web", "198.18.0.210")).updateStatus();
            client.services().resource(loadBalancer("api", "198.18.0.201")).updateStatus();
            Map<String, List<IpAddress>> both = Map.of("web", ips("198.18.0.210"), "api", ips("198.18.0.201"));
            await("both addresses in a snapshot", WAIT, () -> ipsByName(informers.snapshot()).equals(both));
            client.services().inNamespace("default").withName("web").delete();
            await("web gone from a snapshot", WAIT, () -> ipsByName(informers.snapshot()).equals(Map.of("api", ips("198.18.0.201"))));
            client.services().resource(new ServiceBuilder(loadBalancer("api", "198.18.0.201")).editSpec().withType("ClusterIP")
                    .endSpec().build()).update();
            await("api, no longer a LoadBalancer, gone from a snapshot", WAIT, () -> informers.snapshot().services().isEmpty());
        }
    }

    private static EndpointSlice slice(String name, String service, String node, boolean ready) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(name)
                .addToLabels(ObjectViews.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.0.0.1").withNodeName(node).withNewConditions().withReady(ready)
                .endConditions().endEndpoint().build();
    }

    @Test
    void aLocalServicesReadyNodesAreThoseOfAllItsSlicesAsTheyAreNow() throws Exception {
        client.services().resource(new ServiceBuilder(loadBalancer("web", "198.18.0.200")).editSpec()
                .withExternalTrafficPolicy("Local").endSpec().build()).create();
        client.discovery().v1().endpointSlices().resource(slice("web-a", "web", "node-a", true)).create();
        client.discovery().v1().endpointSlices().resource(slice("web-b", "web", "node-b", true)).create();
        client.discovery().v1().endpointSlices().resource(slice("db-a", "db", "node-c", true)).create();
        ServiceKey web = new ServiceKey("default", "web");
        try (ClusterInformers informers = ClusterInformers.start(MockApi.of(client), "ferrite-system", Optional.empty(),
                new ConfigTracker(ConfigParser::parse), () -> { }, nodes -> { })) {
            informers.whenSynced().get(10, TimeUnit.SECONDS);
            assertEquals(Map.of(web, Set.of("node-a", "node-b")), informers.snapshot().readyEndpointNodes());

            // a slice's endpoint no longer ready, another slice gone, a slice moving to this Service
            client.discovery().v1().endpointSlices().resource(slice("web-a", "web", "node-a", false)).update();
            client.discovery().v1().endpointSlices().inNamespace("default").withName("web-b").delete();
            client.discovery().v1().endpointSlices().resource(slice("db-a", "web", "node-c", true)).update();
            await("the ready nodes as the slices are now", WAIT,
                    () -> informers.snapshot().readyEndpointNodes().equals(Map.of(web, Set.of("node-c"))));
        }
    }
}
