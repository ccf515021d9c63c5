package dev.ferrite.speaker;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.handoff.FlowHandoff;
import dev.ferrite.speaker.handoff.HandoffRules;
import dev.ferrite.speaker.handoff.HandoffSettings;
import dev.ferrite.speaker.handoff.RecordingCommands;
import dev.ferrite.speaker.k8s.ApiAccess;
import dev.ferrite.speaker.k8s.KubeApi;
import dev.ferrite.speaker.k8s.MockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A speaker started while the API server is unreachable becomes ready and announces once it is
 * up; one that cannot start removes the flow handoff rules it was started with.
 */
class SpeakerStartupTest {

    private static final Duration WAIT = Duration.ofSeconds(40);


    @Test
    void aSpeakerStartedBeforeTheApiServerCatchesUpWhenItComes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KubeApi speakerApi = new KubeApi(ApiAccess.plain(URI.create("http://127.0.0.1:" + port)));
        HandDrivenMembers members = new HandDrivenMembers();
        members.set(Set.of("node-a"));
        RecordingAnnouncer announcer = new RecordingAnnouncer("node-a", Collections.synchronizedList(RecordingAnnouncer.newJournal()));
        Speaker speaker = Speaker.start(SpeakerOptions.defaults("node-a").withMetricsPort(0), speakerApi, announcer,
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
            server.destroy();
        }
    }

    @Test
    void aSpeakerThatCannotStartRemovesTheFlowHandoffRulesItWasGiven(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log");
        // started aside, as the speaker command does while it builds its API client
        FlowHandoff handoff = FlowHandoff.start("node-a", HandoffSettings.defaults(), RecordingCommands.in(dir, true),
                Clock.systemUTC());
        assertTrue(handoff.on(), handoff.offBecause());
        Files.delete(log);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = server.createClient()) {
            RecordingAnnouncer announcer = new RecordingAnnouncer("node-a",
                    Collections.synchronizedList(RecordingAnnouncer.newJournal()));
            // a wildcard membership address and no Node to read the InternalIP from
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Speaker.start(
                    SpeakerOptions.defaults("node-a").withMetricsPort(0), MockApi.of(client), announcer, handoff));
            assertTrue(e.getMessage().contains("--membership-advertise"), e.getMessage());
            assertTrue(Files.readString(log).contains("delete table inet " + HandoffRules.TABLE), Files.readString(log));
        } finally {
            server.destroy();
        }
    }
}
