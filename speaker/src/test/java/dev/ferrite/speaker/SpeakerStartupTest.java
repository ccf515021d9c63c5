package dev.ferrite.speaker;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A speaker started while the API server is unreachable becomes ready and announces once it is up. */
class SpeakerStartupTest {

    private static final Duration WAIT = Duration.ofSeconds(40);


    @Test
    void aSpeakerStartedBeforeTheApiServerCatchesUpWhenItComes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KubernetesClient speakerClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).build()).build();
        HandDrivenMembers members = new HandDrivenMembers();
        members.set(Set.of("node-a"));
        RecordingAnnouncer announcer = new RecordingAnnouncer("node-a", Collections.synchronizedList(RecordingAnnouncer.newJournal()));
        Speaker speaker = Speaker.start(SpeakerOptions.defaults("node-a").withMetricsPort(0), speakerClient, announcer,
                members.viewOf("node-a"));
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        try {
            Thread.sleep(300); // let the first list fail: the point of the test
            assertFalse(speaker.ready(), "not ready while the API is unreachable");

            server.init(InetAddress.getLoopbackAddress(), port);
            KubernetesClient client = server.createClient();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build()).create();
            IPAddressPool pool = new IPAddressPool();
            pool.setMetadata(new ObjectMetaBuilder().withName("lab").withNamespace("ferrite-system").build());
            IPAddressPoolSpec ps = new IPAddressPoolSpec();
            ps.setAddresses(List.of("198.18.0.200/29"));
            pool.setSpec(ps);
            client.resources(IPAddressPool.class).inNamespace("ferrite-system").resource(pool).create();
            L2Advertisement ad = new L2Advertisement();
            ad.setMetadata(new ObjectMetaBuilder().withName("all").withNamespace("ferrite-system").build());
            ad.setSpec(new L2AdvertisementSpec());
            client.resources(L2Advertisement.class).inNamespace("ferrite-system").resource(ad).create();
            Service svc = client.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("web").withNamespace("default")
                    .addToAnnotations(Annotations.IP_ALLOCATED_FROM_POOL, "lab").endMetadata()
                    .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build()).create();
            svc.setStatus(new ServiceStatusBuilder().withNewLoadBalancer()
                    .withIngress(new LoadBalancerIngressBuilder().withIp("198.18.0.201").build()).endLoadBalancer().build());
            client.services().inNamespace("default").resource(svc).updateStatus();

            await("ready once the API answers", WAIT, speaker::ready);
            IpAddress vip = IpAddress.parse("198.18.0.201").orElseThrow();
            await("the only node announces " + vip, WAIT, () -> announcer.announced().contains(vip));
        } finally {
            speaker.shutdown();
            speakerClient.close();
            server.destroy();
        }
    }
}
