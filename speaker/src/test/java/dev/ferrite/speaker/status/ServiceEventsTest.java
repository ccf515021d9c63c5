package dev.ferrite.speaker.status;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.k8s.ApiAccess;
import dev.ferrite.speaker.k8s.KubeApi;
import dev.ferrite.speaker.k8s.MockApi;
import dev.ferrite.speaker.model.ForeignClaim;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ServiceEventsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:15:30.123456Z");

    KubernetesClient client;

    private static ServiceAnnouncement web() {
        return new ServiceAnnouncement(new ServiceKey("shop", "web"), "uid-web",
                List.of(IpAddress.parse("198.18.0.200").orElseThrow()), new TreeSet<>(List.of("eth0")));
    }

    @Test
    void eventsAreWrittenAsKubectlShowsThem() {
        ServiceEvents events = new ServiceEvents(MockApi.of(client), "node-a", Clock.fixed(NOW, ZoneOffset.UTC));
        events.nodeAssigned(web());
        // a moment later: an Event's name is its Service's, the moment's and the node's
        new ServiceEvents(MockApi.of(client), "node-a", Clock.fixed(NOW.plusMillis(1), ZoneOffset.UTC)).foreignClaim(web(),
                new ForeignClaim(IpAddress.parse("198.18.0.200").orElseThrow(), "02:00:00:00:00:99",
                "an ARP reply", "eth0", true));

        List<Event> written = client.v1().events().inNamespace("shop").list().getItems().stream()
                .sorted(Comparator.comparing(Event::getType)).toList();
        assertEquals(2, written.size());
        Event assigned = written.get(0);
        assertEquals("Normal", assigned.getType());
        assertEquals(ServiceEvents.NODE_ASSIGNED, assigned.getReason());
        assertEquals("announcing from node node-a", assigned.getMessage());
        assertEquals("Service", assigned.getInvolvedObject().getKind());
        assertEquals("v1", assigned.getInvolvedObject().getApiVersion());
        assertEquals("shop", assigned.getInvolvedObject().getNamespace());
        assertEquals("web", assigned.getInvolvedObject().getName());
        assertEquals("uid-web", assigned.getInvolvedObject().getUid());
        assertEquals(Annotations.SPEAKER_NAME, assigned.getSource().getComponent());
        assertEquals("node-a", assigned.getSource().getHost());
        assertEquals(Annotations.SPEAKER_NAME, assigned.getReportingComponent());
        assertEquals("node-a", assigned.getReportingInstance());
        assertEquals(NOW.toString(), assigned.getFirstTimestamp());
        assertEquals(NOW.toString(), assigned.getLastTimestamp());
        assertEquals(1, assigned.getCount());
        assertTrue(assigned.getMetadata().getName().startsWith("web."), assigned.getMetadata().getName());

        Event claim = written.get(1);
        assertEquals("Warning", claim.getType());
        assertEquals(ServiceEvents.FOREIGN_CLAIM, claim.getReason());
        assertTrue(claim.getMessage().startsWith("IP 198.18.0.200 is also claimed by 02:00:00:00:00:99 (an ARP reply on eth0"
                + " of node node-a)"), claim.getMessage());
    }

    @Test
    void anApiThatDoesNotAnswerLosesTheEventAndNothingElse() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ServiceEvents events = new ServiceEvents(new KubeApi(ApiAccess.plain(URI.create("http://127.0.0.1:" + port))),
                "node-a", Clock.systemUTC());
        // logged, not thrown: the status writer goes on with its pass
        assertDoesNotThrow(() -> events.nodeAssigned(web()));
    }
}
