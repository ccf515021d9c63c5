package dev.ferrite.speaker;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferrite.api.net.IpAddress;
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
            OneServiceCluster.create(client, "node-a", "198.18.0.200/29", "198.18.0.201");

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
