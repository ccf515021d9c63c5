package dev.ferrite.speaker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.InterfaceInfo;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.api.v1beta1.ServiceL2StatusStatus;
import dev.ferrite.speaker.k8s.MockApi;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import dev.ferrite.speaker.model.ServiceKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ServiceL2Status objects across a restart, against the fabric8 mock API server in CRUD mode. */
class StatusWriterTest {

    private static final String NS = "ferrite-system";
    private static final String NODE = "node-a";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(ServiceL2Status.class));
        client = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            System.err.println("mock API server did not stop cleanly: " + e.getMessage());
        }
    }

    private static ServiceAnnouncement announcement(String service, String ip) {
        return new ServiceAnnouncement(new ServiceKey("default", service), "uid-" + service,
                List.of(IpAddress.parse(ip).orElseThrow()), new TreeSet<>(List.of("eth0")));
    }

    private StatusWriter writer(Duration grace) {
        return new StatusWriter(MockApi.of(client), NS, NODE, new ServiceEvents(MockApi.of(client), NODE, Clock.systemUTC()), grace);
    }

    private Optional<ServiceL2Status> status(String service) {
        return Optional.ofNullable(client.resources(ServiceL2Status.class).inNamespace(NS)
                .withName(StatusName.of(new ServiceKey("default", service), NODE)).get());
    }

    private int events() {
        return client.v1().events().inNamespace("default").list().getItems().size();
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Written state as the first writer left it: web and db announced, one Event each. */
    private void predecessorAnnounces(ServiceAnnouncement... announced) throws InterruptedException {
        StatusWriter first = writer(Duration.ofMillis(200));
        Map<ServiceKey, ServiceAnnouncement> all = new HashMap<>();
        for (ServiceAnnouncement a : announced) {
            all.put(a.service(), a);
        }
        first.submit(all);
        await("the first writer's objects", () -> all.keySet().stream().allMatch(k -> status(k.name())
                .map(s -> s.getStatus() != null && s.getStatus().getIps() != null).orElse(false)));
        // each Event follows its object's write: the last one may still be on its way
        await("the first writer's nodeAssigned Events", () -> events() == announced.length);
        first.close(); // a crash: nothing deleted
    }

    @Test
    void aRestartedWriterAdoptsWhatItStillAnnouncesWithoutWritingOrRecordingAnEventAgain() throws InterruptedException {
        ServiceAnnouncement web = announcement("web", "198.18.0.200");
        ServiceAnnouncement db = announcement("db", "198.18.0.201");
        predecessorAnnounces(web, db);
        String webVersion = status("web").orElseThrow().getMetadata().getResourceVersion();
        int eventsBefore = events();
        assertEquals(2, eventsBefore, "one nodeAssigned Event per Service");

        StatusWriter second = writer(Duration.ofMillis(300));
        try {
            // web unchanged; db moved to another address
            ServiceAnnouncement dbMoved = announcement("db", "198.18.0.202");
            second.submit(Map.of(web.service(), web, db.service(), dbMoved));
            await("db's object shows its new address", () -> status("db")
                    .map(s -> List.of("198.18.0.202").equals(s.getStatus().getIps())).orElse(false));
            Thread.sleep(500); // past the grace: nothing is deleted that is announced
            assertEquals(webVersion, status("web").orElseThrow().getMetadata().getResourceVersion(),
                    "web's object was written again although nothing changed");
            assertEquals(eventsBefore, events(), "a restart records no new nodeAssigned Event for adopted objects");
        } finally {
            second.close();
        }
    }

    @Test
    void anObjectWrittenThroughTheModelClassesIsAdoptedWithoutAWriteWhenItShowsTheSame() throws InterruptedException {
        // as a speaker before this writer wrote its objects: through the CRD's model classes
        ServiceAnnouncement web = announcement("web", "198.18.0.200");
        ServiceL2Status earlier = new ServiceL2Status();
        earlier.setMetadata(new ObjectMetaBuilder().withName(StatusName.of(web.service(), NODE)).withNamespace(NS)
                .addToLabels(StatusName.NODE_LABEL, NODE).build());
        earlier.setSpec(null);
        earlier = client.resources(ServiceL2Status.class).inNamespace(NS).resource(earlier).create();
        ServiceL2StatusStatus shown = new ServiceL2StatusStatus();
        shown.setNode(NODE);
        shown.setServiceNamespace("default");
        shown.setServiceName("web");
        shown.setIps(List.of("198.18.0.200"));
        shown.setInterfaces(List.of(new InterfaceInfo("eth0")));
        earlier.setStatus(shown);
        String version = client.resources(ServiceL2Status.class).inNamespace(NS).resource(earlier).updateStatus()
                .getMetadata().getResourceVersion();

        StatusWriter w = writer(Duration.ofSeconds(30));
        try {
            ServiceAnnouncement db = announcement("db", "198.18.0.201");
            w.submit(Map.of(web.service(), web, db.service(), db));
            await("db's object", () -> status("db").map(s -> s.getStatus() != null).orElse(false));
            Thread.sleep(300);
            assertEquals(version, status("web").orElseThrow().getMetadata().getResourceVersion(),
                    "an object that already showed the announcement was written again");
            assertEquals(1, events(), "db's nodeAssigned Event only");
        } finally {
            w.close();
        }
    }

    @Test
    void anObjectThatAppearedAfterTheListIsReadAndUpdatedWhenCreatingItFindsItThere() throws InterruptedException {
        StatusWriter w = writer(Duration.ofSeconds(30));
        try {
            w.submit(Map.of());
            Thread.sleep(StatusWriter.QUIET.toMillis() + 500); // the writer has listed its leftovers: none
            // an object without status appears (as a create whose status write failed leaves it)
            ServiceL2Status bare = new ServiceL2Status();
            bare.setMetadata(new ObjectMetaBuilder()
                    .withName(StatusName.of(new ServiceKey("default", "web"), NODE)).withNamespace(NS).build());
            bare.setSpec(null);
            client.resources(ServiceL2Status.class).inNamespace(NS).resource(bare).create();

            ServiceAnnouncement web = announcement("web", "198.18.0.200");
            w.submit(Map.of(web.service(), web));
            await("the existing object shows the address", () -> status("web")
                    .map(s -> s.getStatus() != null && List.of("198.18.0.200").equals(s.getStatus().getIps())).orElse(false));
            assertEquals(1, client.resources(ServiceL2Status.class).inNamespace(NS).list().getItems().size());
        } finally {
            w.close();
        }
    }

    @Test
    void aBurstOfChangesIsWrittenOnceItIsQuietOrAfterTheMostItMayBeHeld() throws InterruptedException {
        StatusWriter w = writer(Duration.ofSeconds(30));
        try {
            Map<ServiceKey, ServiceAnnouncement> all = new HashMap<>();
            long start = System.nanoTime();
            long firstWritten = -1;
            // a change every 100 ms, never quiet for QUIET, until the first object of the burst
            // (whichever the writer takes first) is written; at most 6 s, three times MAX_HOLD
            for (int i = 0; i < 60 && firstWritten < 0; i++) {
                ServiceAnnouncement a = announcement("s" + i, "198.18.4." + (i + 1));
                all.put(a.service(), a);
                w.submit(all);
                if (!client.resources(ServiceL2Status.class).inNamespace(NS).list().getItems().isEmpty()) {
                    firstWritten = System.nanoTime();
                }
                Thread.sleep(100);
            }
            assertTrue(firstWritten > 0, "held past " + StatusWriter.MAX_HOLD + " while changes kept coming");
            long heldMs = (firstWritten - start) / 1_000_000;
            assertTrue(heldMs >= StatusWriter.QUIET.toMillis(), "written " + heldMs + " ms after the first change, inside the burst");
            await("every object once the burst is over", () -> all.keySet().stream().allMatch(k -> status(k.name()).isPresent()));
        } finally {
            w.close();
        }
    }

    @Test
    void leftoversNobodyAnnouncesAreDeletedOnlyAfterTheGrace() throws InterruptedException {
        predecessorAnnounces(announcement("web", "198.18.0.200"), announcement("db", "198.18.0.201"));

        Duration grace = Duration.ofSeconds(3);
        StatusWriter second = writer(grace);
        try {
            long start = System.nanoTime();
            second.submit(Map.of()); // a restarted speaker announces nothing yet
            Thread.sleep(500);
            assertTrue(status("web").isPresent() && status("db").isPresent(),
                    "leftovers deleted before the grace was over");
            // announced again, on another address: written at once, not when the grace ends
            second.submit(Map.of(new ServiceKey("default", "web"), announcement("web", "198.18.0.210")));
            await("web's object shows its new address", () -> status("web")
                    .map(s -> List.of("198.18.0.210").equals(s.getStatus().getIps())).orElse(false));
            assertTrue(System.nanoTime() - start < grace.toNanos(), "the write waited for the grace");
            await("db's leftover deleted", () -> status("db").isEmpty());
            assertTrue(System.nanoTime() - start >= grace.toNanos(), "deleted within the grace");
            assertTrue(status("web").isPresent(), "web, announced again within the grace, was deleted");
        } finally {
            second.close();
        }
    }

    @Test
    void shutdownDeletesAdoptedObjectsAndLeftoversAlike() throws InterruptedException {
        predecessorAnnounces(announcement("web", "198.18.0.200"), announcement("db", "198.18.0.201"));
        StatusWriter second = writer(Duration.ofMinutes(5));
        second.submit(Map.of(new ServiceKey("default", "web"), announcement("web", "198.18.0.200")));
        await("web adopted", () -> status("web").isPresent());
        Thread.sleep(300);
        second.deleteAllAndStop(Duration.ofSeconds(5));
        assertTrue(status("web").isEmpty(), "adopted object left behind on shutdown");
        assertTrue(status("db").isEmpty(), "leftover left behind on shutdown");
        assertNotEquals(0, events());
    }
}
