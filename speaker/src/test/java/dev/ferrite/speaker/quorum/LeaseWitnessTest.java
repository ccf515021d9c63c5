package dev.ferrite.speaker.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.speaker.k8s.MockApi;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The witness's Leases and its reading of the other speakers' MACs, against the mock API server in CRUD mode. */
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

    private static final LeaseWitness.Timing FAST = new LeaseWitness.Timing(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(3));

    private Lease lease(String name) {
        return client.resources(Lease.class).inNamespace(NS).withName(name).get();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theOwnLeaseIsCreatedThenRenewedInPlaceKeepingWhatOthersWroteOnIt() throws InterruptedException {
        AtomicReference<Set<String>> macs = new AtomicReference<>(Set.of("02:00:c6:12:00:0c"));
        witness = new LeaseWitness(MockApi.of(client), NS, "node2", FAST, System::nanoTime, () -> { });
        witness.ownMacs(macs::get);
        witness.start();
        await("node2's Lease", () -> lease("ferrite-speaker-node2") != null);
        Lease created = lease("ferrite-speaker-node2");
        assertEquals("node2", created.getSpec().getHolderIdentity());
        assertEquals(3, created.getSpec().getLeaseDurationSeconds());
        assertEquals(Map.of(LeaseWitness.LABEL, "speaker", "app.kubernetes.io/name", "ferrite"), created.getMetadata().getLabels());
        assertEquals("02:00:c6:12:00:0c", created.getMetadata().getAnnotations().get(LeaseWitness.MACS));
        assertNotNull(created.getSpec().getRenewTime(), "renewTime in a form the API's model reads");

        // somebody else annotates it; the speaker's MACs change
        created.getMetadata().getAnnotations().put("example.com/note", "kept");
        client.resources(Lease.class).inNamespace(NS).resource(created).update();
        macs.set(Set.of("02:00:c6:12:00:0d"));
        await("a renewal with the new MACs", () -> "02:00:c6:12:00:0d".equals(
                lease("ferrite-speaker-node2").getMetadata().getAnnotations().get(LeaseWitness.MACS)));
        Lease renewed = lease("ferrite-speaker-node2");
        assertEquals("kept", renewed.getMetadata().getAnnotations().get("example.com/note"), "an annotation of another writer was lost");
        assertTrue(renewed.getSpec().getRenewTime().isAfter(created.getSpec().getRenewTime()),
                "renewTime " + renewed.getSpec().getRenewTime() + " not after " + created.getSpec().getRenewTime());
        assertEquals(created.getMetadata().getUid(), renewed.getMetadata().getUid(), "renewed in place, not recreated");

        witness.deleteOwn();
        assertNull(lease("ferrite-speaker-node2"), "a stopping speaker's Lease is deleted");
    }

    @Test
    void ofTwoSidesOfAnEvenSplitExactlyOneHoldsTheTiebreakAndReleasesItAfter() throws InterruptedException {
        LeaseWitness one = new LeaseWitness(MockApi.of(client), NS, "node1", FAST, System::nanoTime, () -> { });
        LeaseWitness two = new LeaseWitness(MockApi.of(client), NS, "node2", FAST, System::nanoTime, () -> { });
        try {
            one.start();
            two.start();
            await("both have read the Leases", () -> one.state().reads() > 0 && two.state().reads() > 0);
            one.situation(true, true);
            two.situation(true, true);
            await("a holder both sides agree on", () -> holder(one).isPresent() && holder(one).equals(holder(two)));
            String holder = holder(one).orElseThrow();
            assertEquals(holder, lease(LeaseWitness.TIEBREAK).getSpec().getHolderIdentity());
            Thread.sleep(1000); // renewals and contention go on: the holder stays
            assertEquals(Optional.of(holder), holder(one));
            assertEquals(Optional.of(holder), holder(two));

            // the split is over: the holder releases the tiebreak
            one.situation(false, false);
            two.situation(false, false);
            await("the tiebreak released", () -> lease(LeaseWitness.TIEBREAK).getSpec().getHolderIdentity() == null);
        } finally {
            one.close();
            two.close();
        }
    }

    private static Optional<String> holder(LeaseWitness w) {
        return w.state().witness() instanceof QuorumInput.Read r ? r.tiebreak() : Optional.empty();
    }

    @Test
    void aMacIsForeignOnlyOnceTheLeasesHaveBeenReadAndDoNotListIt() throws InterruptedException {
        client.resources(Lease.class).inNamespace(NS).resource(new LeaseBuilder()
                .withNewMetadata().withName("ferrite-speaker-node1").withNamespace(NS)
                .withLabels(Map.of(LeaseWitness.LABEL, "true"))
                .withAnnotations(Map.of(LeaseWitness.MACS, "02:00:C6:12:00:0B"))
                .endMetadata()
                .withNewSpec().withHolderIdentity("node1").endSpec()
                .build()).create();
        witness = new LeaseWitness(MockApi.of(client), NS, "node2", LeaseWitness.Timing.DEFAULT, System::nanoTime, () -> { });
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
        client.resources(Lease.class).inNamespace(NS)
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
