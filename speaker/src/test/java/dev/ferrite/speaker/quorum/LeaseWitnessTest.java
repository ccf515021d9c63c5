package dev.ferrite.speaker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The witness's reading of the other speakers' MACs, against the mock API server in CRUD mode. */
class LeaseWitnessTest {

    private static final String NS = "ferrite-system";
    private static final Duration WAIT = Duration.ofSeconds(10);

    KubernetesMockServer server;
    KubernetesClient client;
    LeaseWitness witness;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        if (witness != null) {
            witness.close();
        }
        client.close();
        server.destroy();
    }

    @Test
    void aMacIsForeignOnlyOnceTheLeasesHaveBeenReadAndDoNotListIt() throws InterruptedException {
        client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace(NS).resource(new LeaseBuilder()
                .withNewMetadata().withName("ferrite-speaker-node1").withNamespace(NS)
                .withLabels(Map.of(LeaseWitness.LABEL, "true"))
                .withAnnotations(Map.of(LeaseWitness.MACS, "02:00:C6:12:00:0B"))
                .endMetadata()
                .withNewSpec().withHolderIdentity("node1").endSpec()
                .build()).create();
        witness = new LeaseWitness(client, NS, "node2", LeaseWitness.Timing.DEFAULT, System::nanoTime, () -> { });
        witness.ownMacs(() -> Set.of("02:00:c6:12:00:0c"));
        List<Set<String>> told = new CopyOnWriteArrayList<>();
        witness.onMemberMacs(told::add);
        // before the first list nobody can tell a member from a stranger
        assertTrue(witness.mayBeMemberMac("02:00:c6:12:00:99"));

        witness.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        // the listeners are told after the read is counted, outside the witness's lock
        while ((witness.state().reads() == 0 || told.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(witness.state().reads() > 0, "the witness never listed the Leases");
        assertTrue(witness.mayBeMemberMac("02:00:c6:12:00:0b"), "node1's MAC, written in capitals, is a member's");
        assertFalse(witness.mayBeMemberMac("02:00:c6:12:00:99"), "a MAC no Lease lists is foreign");
        assertEquals(List.of(Set.of("02:00:c6:12:00:0b")), told, "the other members' MACs, once, not our own");

        // node1's speaker stops (its Lease goes) and comes back: its MAC is still a member's
        client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class).inNamespace(NS)
                .withName("ferrite-speaker-node1").delete();
        long reads = witness.state().reads();
        witness.memberJoined();
        deadline = System.nanoTime() + WAIT.toNanos();
        while (witness.state().reads() == reads && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(witness.state().reads() > reads, "memberJoined did not list the Leases");
        assertTrue(witness.mayBeMemberMac("02:00:c6:12:00:0b"), "a member's MAC is remembered after its Lease is deleted");
        assertEquals(1, told.size(), "a list that changed no MAC tells nobody");
    }
}
