package dev.ferrite.speaker;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.InterfaceInfo;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.speaker.election.Election;
import dev.ferrite.speaker.k8s.MockApi;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.status.ServiceEvents;
import dev.ferrite.speaker.status.StatusName;
import dev.ferrite.speaker.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Speakers of a simulated three-node cluster against the fabric8 mock API server in CRUD
 * mode, with recording announcers and a membership driven by the test. Assertions poll with
 * a bound; none depends on a fixed sleep.
 */
class SpeakerTest {

    private static final String NS = SpeakerOptions.DEFAULT_NAMESPACE;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    KubernetesMockServer server;
    KubernetesClient client;

    private final List<RecordingAnnouncer.Entry> journal = Collections.synchronizedList(RecordingAnnouncer.newJournal());
    private final HandDrivenMembers members = new HandDrivenMembers();
    private final Map<String, Speaker> speakers = new HashMap<>();
    private final Map<String, RecordingAnnouncer> announcers = new HashMap<>();

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        for (Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type
                : List.of(IPAddressPool.class, L2Advertisement.class, ServiceL2Status.class)) {
            server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(type));
        }
        client = server.createClient();
    }

    @AfterEach
    void stopSpeakers() {
        speakers.values().forEach(Speaker::shutdown);
        // Closing the client drops its kept-alive connections, so the mock server stops at once.
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // The mock server's own shutdown sometimes outlasts its 10 s wait for Vert.x to close
            // its listener; the test has finished and asserted by then, so that is not a failure.
            System.err.println("mock API server did not stop cleanly: " + e.getMessage());
        }
    }

    // ---- fixtures ----

    private static IpAddress ip(String text) {
        return IpAddress.parse(text).orElseThrow();
    }

    private void node(String name, Map<String, String> labels, String internalIp) {
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
    }

    private void pool(String name) {
        IPAddressPool p = new IPAddressPool();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(List.of("198.18.0.200-198.18.0.250"));
        p.setSpec(spec);
        client.resources(IPAddressPool.class).inNamespace(NS).resource(p).create();
    }

    private void advertisement(String name, L2AdvertisementSpec spec) {
        L2Advertisement a = new L2Advertisement();
        a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        a.setSpec(spec);
        client.resources(L2Advertisement.class).inNamespace(NS).resource(a).createOr(existing -> existing.update());
    }

    private static L2AdvertisementSpec adSpec(List<String> pools, Map<String, String> nodeLabels, List<String> interfaces) {
        L2AdvertisementSpec spec = new L2AdvertisementSpec();
        spec.setIpAddressPools(pools);
        if (!nodeLabels.isEmpty()) {
            spec.setNodeSelectors(List.of(new LabelSelectorBuilder().withMatchLabels(nodeLabels).build()));
        }
        spec.setInterfaces(interfaces);
        return spec;
    }

    private Service service(String name, String ip, boolean local) {
        Service s = client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace("default")
                .addToAnnotations(Annotations.IP_ALLOCATED_FROM_POOL, "lab").endMetadata()
                .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy(local ? "Local" : "Cluster")
                .addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec()
                .build()).create();
        s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp(ip).build()).endLoadBalancer().build());
        return client.services().inNamespace("default").resource(s).updateStatus();
    }

    private void endpoints(String service, Map<String, Boolean> readyByNode) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-slice").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4");
        int i = 1;
        for (Map.Entry<String, Boolean> e : readyByNode.entrySet()) {
            b.addNewEndpoint().withAddresses("10.0.0." + i++).withNodeName(e.getKey())
                    .withNewConditions().withReady(e.getValue()).endConditions().endEndpoint();
        }
        EndpointSlice slice = b.build();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice)
                .createOr(existing -> existing.update());
    }

    /** Three labelled nodes, pool "lab", advertisement "all", every node live, a speaker each. */
    private void cluster(Duration handoverTimeout) throws IOException {
        for (int i = 0; i < NODES.size(); i++) {
            node(NODES.get(i), Map.of("zone", "z" + i), "198.18.1." + (10 + i));
        }
        pool("lab");
        advertisement("all", adSpec(List.of("lab"), Map.of(), List.of()));
        members.set(Set.copyOf(NODES));
        for (String n : NODES) {
            RecordingAnnouncer a = new RecordingAnnouncer(n, journal);
            announcers.put(n, a);
            speakers.put(n, Speaker.start(SpeakerOptions.defaults(n).withMetricsPort(0).withHandoverTimeout(handoverTimeout),
                    MockApi.of(client), a, members.viewOf(n)));
        }
    }

    private static String expectedOwner(IpAddress ip, Set<String> candidates) {
        return candidates.stream()
                .max((x, y) -> Long.compareUnsigned(Election.score(x, ip), Election.score(y, ip)))
                .orElseThrow();
    }


    /** The nodes whose announcer currently announces {@code ip}. */
    private Set<String> announcersOf(IpAddress ip) {
        return announcers.entrySet().stream().filter(e -> e.getValue().announced().contains(ip))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private void awaitOwner(IpAddress ip, String node) {
        await(ip + " announced by " + node + " only", WAIT,
                () -> announcersOf(ip).equals(Set.of(node)));
    }

    private Optional<ServiceL2Status> status(String service, String node) {
        return Optional.ofNullable(client.resources(ServiceL2Status.class).inNamespace(NS)
                .withName(StatusName.of(new ServiceKey("default", service), node)).get());
    }

    private static String scrape(Speaker s) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- tests ----

    @Test
    void theHighestScoringLiveNodeAnnouncesAndOnlyIt() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.200");
        service("web", vip.toString(), false);
        awaitOwner(vip, expectedOwner(vip, Set.copyOf(NODES)));
    }

    @Test
    void ownershipFollowsReadyEndpointsForLocalTrafficPolicy() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.201");
        service("local", vip.toString(), true);
        // The lowest-scoring node hosts the only endpoint: it must announce, not the top scorer.
        List<String> byScore = new ArrayList<>(NODES);
        byScore.sort((x, y) -> Long.compareUnsigned(Election.score(x, vip), Election.score(y, vip)));
        String low = byScore.get(0);
        String high = byScore.get(2);
        endpoints("local", Map.of(low, true));
        awaitOwner(vip, low);

        endpoints("local", Map.of(low, false, high, true));
        awaitOwner(vip, high);

        endpoints("local", Map.of(high, false));
        await(vip + " withdrawn everywhere when no endpoint is ready", WAIT, () -> announcersOf(vip).isEmpty());
    }

    @Test
    void excludeLabelAndNetworkUnavailableMoveOwnershipAway() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.202");
        service("web", vip.toString(), false);
        String first = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, first);

        client.nodes().withName(first).edit(n -> new NodeBuilder(n).editMetadata()
                .addToLabels(Annotations.EXCLUDE_FROM_LB_LABEL, "true").endMetadata().build());
        Set<String> rest = new TreeSet<>(NODES);
        rest.remove(first);
        String second = expectedOwner(vip, rest);
        awaitOwner(vip, second);

        client.nodes().withName(second).edit(n -> new NodeBuilder(n).editStatus()
                .addNewCondition().withType("NetworkUnavailable").withStatus("True").endCondition().endStatus().build());
        rest.remove(second);
        awaitOwner(vip, rest.iterator().next());
    }

    @Test
    void advertisementNodeSelectorsAndInterfacesDecideWhereAndOnWhat() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.203");
        service("web", vip.toString(), false);
        String first = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, first);
        String other = NODES.stream().filter(n -> !n.equals(first)).findFirst().orElseThrow();
        String zone = "z" + NODES.indexOf(other);

        advertisement("all", adSpec(List.of("lab"), Map.of("zone", zone), List.of("eth1")));
        awaitOwner(vip, other);
        await("announced on the advertised interface eth1", WAIT,
                () -> announcers.get(other).interfacesOf(vip).equals(Set.of("eth1")));
        await("ServiceL2Status lists interface eth1", WAIT, () -> status("web", other)
                .filter(s -> s.getStatus() != null)
                .map(s -> s.getStatus().getInterfaces().stream().map(InterfaceInfo::getName).toList())
                .filter(List.of("eth1")::equals).isPresent());
    }

    @Test
    void aLeavingNodeMovesOnlyTheIpsItOwned() throws IOException {
        cluster(Duration.ofMillis(300));
        List<IpAddress> vips = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            IpAddress vip = ip("198.18.0." + (210 + i));
            vips.add(vip);
            service("svc" + i, vip.toString(), false);
        }
        Map<IpAddress, String> before = new HashMap<>();
        for (IpAddress vip : vips) {
            before.put(vip, expectedOwner(vip, Set.copyOf(NODES)));
        }
        vips.forEach(v -> awaitOwner(v, before.get(v)));
        String leaving = before.get(vips.get(0));
        int mark = journal.size();

        members.remove(leaving);
        Set<String> rest = new TreeSet<>(NODES);
        rest.remove(leaving);
        for (IpAddress vip : vips) {
            String expected = before.get(vip).equals(leaving) ? expectedOwner(vip, rest) : before.get(vip);
            awaitOwner(vip, expected);
        }
        List<RecordingAnnouncer.Entry> after;
        synchronized (journal) {
            after = List.copyOf(journal.subList(mark, journal.size()));
        }
        for (RecordingAnnouncer.Entry e : after) {
            assertEquals(leaving, before.get(e.ip()),
                    "only IPs owned by " + leaving + " may move, but " + e + " happened");
        }
        assertTrue(after.stream().anyMatch(e -> e.action().equals("withdraw") && e.node().equals(leaving)),
                "the leaving node withdraws its IPs: " + after);
    }

    @Test
    void ownersReannounceTheirIpsWhenAMemberRejoins() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.201");
        service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        String other = NODES.stream().filter(n -> !n.equals(owner)).findFirst().orElseThrow();

        long recomputed = speakers.get(owner).recomputes();
        members.remove(other);
        await("the owner recomputed without " + other, WAIT, () -> speakers.get(owner).recomputes() > recomputed);
        int mark = journal.size();
        members.add(other);
        await(owner + " re-announces " + vip + " after " + other + " rejoined", WAIT, () -> {
            synchronized (journal) {
                return journal.subList(mark, journal.size()).contains(new RecordingAnnouncer.Entry(owner, "reassert", vip));
            }
        });
        awaitOwner(vip, owner);
        synchronized (journal) {
            assertTrue(journal.subList(mark, journal.size()).stream()
                    .noneMatch(e -> e.action().equals("reassert") && !e.node().equals(owner)),
                    "only the owner re-announces: " + journal.subList(mark, journal.size()));
        }
    }

    @Test
    void aNodeHandingAnIpBackToARejoinedMemberDoesNotReannounceIt() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.202");
        service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        Set<String> rest = new TreeSet<>(NODES);
        rest.remove(owner);
        String interim = expectedOwner(vip, rest);

        members.remove(owner);
        awaitOwner(vip, interim);
        int mark = journal.size();
        members.add(owner);
        awaitOwner(vip, owner);
        synchronized (journal) {
            // a re-announcement by the interim owner would pull clients back from the returning one
            assertTrue(journal.subList(mark, journal.size()).stream()
                    .noneMatch(e -> e.action().equals("reassert") && e.node().equals(interim) && e.ip().equals(vip)),
                    interim + " re-announced " + vip + " it hands back: " + journal.subList(mark, journal.size()));
        }
    }

    @Test
    void serviceL2StatusIsWrittenByTheOwnerAndDeletedWhenItStops() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.204");
        service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        await("ServiceL2Status of " + owner + " lists " + vip, WAIT, () -> status("web", owner)
                .filter(s -> s.getStatus() != null && List.of(vip.toString()).equals(s.getStatus().getIps()))
                .isPresent());
        ServiceL2Status s = status("web", owner).orElseThrow();
        assertEquals(owner, s.getStatus().getNode());
        assertEquals("web", s.getStatus().getServiceName());
        assertEquals("default", s.getStatus().getServiceNamespace());
        assertEquals(List.of("eth0"), s.getStatus().getInterfaces().stream().map(InterfaceInfo::getName).toList());
        assertEquals("web", s.getMetadata().getLabels().get(StatusName.SERVICE_NAME_LABEL));
        assertEquals("default", s.getMetadata().getLabels().get(StatusName.SERVICE_NAMESPACE_LABEL));
        assertEquals(owner, s.getMetadata().getLabels().get(StatusName.NODE_LABEL));
        for (String n : NODES) {
            if (!n.equals(owner)) {
                assertFalse(status("web", n).isPresent(), "non-owner " + n + " writes no ServiceL2Status");
            }
        }

        client.services().inNamespace("default").withName("web").delete();
        await("IP withdrawn after the Service is deleted", WAIT, () -> announcersOf(vip).isEmpty());
        await("ServiceL2Status deleted after the Service is deleted", WAIT, () -> status("web", owner).isEmpty());
    }

    @Test
    void theOwnerRecordsANodeAssignedEventOnTheService() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.205");
        Service svc = service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        await("a nodeAssigned event on default/web", WAIT, () -> client.v1().events().inNamespace("default").list()
                .getItems().stream().anyMatch(e -> ServiceEvents.NODE_ASSIGNED.equals(e.getReason())));
        Event e = client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(ev -> ServiceEvents.NODE_ASSIGNED.equals(ev.getReason())).findFirst().orElseThrow();
        assertEquals("Normal", e.getType());
        assertEquals("announcing from node " + owner, e.getMessage());
        assertEquals("web", e.getInvolvedObject().getName());
        assertEquals("Service", e.getInvolvedObject().getKind());
        assertEquals(svc.getMetadata().getUid(), e.getInvolvedObject().getUid());
    }

    @Test
    void anInvalidConfigurationKeepsTheLastValidOneInForce() throws IOException {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.206");
        service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        String other = NODES.stream().filter(n -> !n.equals(owner)).findFirst().orElseThrow();

        // Applied, this would move the IP to another node; it names a pool that does not exist.
        advertisement("all", adSpec(List.of("lab", "missing"), Map.of("zone", "z" + NODES.indexOf(other)), List.of()));
        await("config-valid metric drops to 0", WAIT, () -> scrape(speakers.get(owner)).lines()
                .anyMatch("ferrite_speaker_config_valid 0.0"::equals));
        IpAddress second = ip("198.18.0.207");
        service("later", second.toString(), false);
        awaitOwner(second, expectedOwner(second, Set.copyOf(NODES)));
        assertEquals(Set.of(owner), announcersOf(vip), "the invalid advertisement must not move " + vip);

        // Fixing the advertisement applies it.
        advertisement("all", adSpec(List.of("lab"), Map.of("zone", "z" + NODES.indexOf(other)), List.of()));
        awaitOwner(vip, other);
    }

    @Test
    void gracefulShutdownWithdrawsOnlyAfterTheSuccessorAnnounces() throws Exception {
        // the successor announces within milliseconds; the long bound only keeps a starved
        // machine from withdrawing first on the timeout
        cluster(Duration.ofSeconds(15));
        IpAddress vip = ip("198.18.0.208");
        service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        await("owner's ServiceL2Status written", WAIT, () -> status("web", owner).isPresent());
        Set<String> rest = new TreeSet<>(NODES);
        rest.remove(owner);
        String successor = expectedOwner(vip, rest);
        int mark = journal.size();

        speakers.remove(owner).shutdown();

        List<RecordingAnnouncer.Entry> after;
        synchronized (journal) {
            after = List.copyOf(journal.subList(mark, journal.size()));
        }
        int announced = after.indexOf(new RecordingAnnouncer.Entry(successor, "announce", vip));
        int withdrawn = after.indexOf(new RecordingAnnouncer.Entry(owner, "withdraw", vip));
        int handingOver = after.indexOf(new RecordingAnnouncer.Entry(owner, "hand over", vip));
        assertTrue(announced >= 0, "successor " + successor + " announced: " + after);
        assertTrue(handingOver >= 0 && handingOver < announced,
                "owner stopped defending the IP against probes before the successor probed and announced: " + after);
        assertTrue(withdrawn > announced, "owner withdrew only after the successor announced: " + after);
        assertTrue(announcers.get(owner).closed(), "announcer closed on shutdown");
        await("owner's ServiceL2Status deleted on shutdown", WAIT, () -> status("web", owner).isEmpty());
        awaitOwner(vip, successor);
    }

    @Test
    void statusObjectsLeftFromAnEarlierRunAreDeletedAfterTheGrace() throws IOException {
        ServiceL2Status stale = new ServiceL2Status();
        String name = StatusName.of(new ServiceKey("default", "gone"), "node-a");
        stale.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
                .addToLabels(StatusName.NODE_LABEL, "node-a").build());
        client.resources(ServiceL2Status.class).inNamespace(NS).resource(stale).create();
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.230");
        service("web", vip.toString(), false);
        awaitOwner(vip, expectedOwner(vip, Set.copyOf(NODES)));
        // kept while a restarted speaker might still announce it again (StatusWriterTest has the details)
        await("stale ServiceL2Status " + name + " deleted", StatusWriter.LEFTOVER_GRACE.plus(WAIT),
                () -> client.resources(ServiceL2Status.class).inNamespace(NS).withName(name).get() == null);
    }

    @Test
    void membershipSeedsAreTheOtherNodesInternalIps() throws IOException {
        cluster(Duration.ofMillis(300));
        Speaker a = speakers.get("node-a");
        await("seeds discovered from Nodes", WAIT, () -> a.seeds().equals(List.of(
                new InetSocketAddress("198.18.1.11", 7946), new InetSocketAddress("198.18.1.12", 7946))));
        node("node-d", Map.of(), "198.18.1.13");
        await("a new Node becomes a seed", WAIT, () -> a.seeds().contains(new InetSocketAddress("198.18.1.13", 7946)));
    }

    @Test
    void metricsAndHealthAreServed() throws Exception {
        cluster(Duration.ofMillis(300));
        IpAddress vip = ip("198.18.0.209");
        service("web", vip.toString(), false);
        String owner = expectedOwner(vip, Set.copyOf(NODES));
        awaitOwner(vip, owner);
        Speaker s = speakers.get(owner);
        await("ready once informers synced and membership started", WAIT, s::ready);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + s.metricsPort();
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        List<String> expected = List.of("ferrite_speaker_announced_ips 1.0", "ferrite_arp_requests_total 3.0",
                "ferrite_ndp_requests_total 1.0", "ferrite_replies_sent_total 4.0", "ferrite_gratuitous_sent_total 2.0",
                "ferrite_malformed_frames_total 0.0", "ferrite_members 3.0", "ferrite_member_suspicions_total 2.0",
                "ferrite_membership_auth_failures_total 5.0", "ferrite_speaker_config_valid 1.0");
        // the announced count is set after the announcement awaitOwner saw, on the loop thread
        String[] scraped = {""};
        await("a scrape with every expected line", WAIT, () -> {
            try {
                scraped[0] = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return expected.stream().allMatch(line -> scraped[0].lines().anyMatch(line::equals));
        });
        String metrics = scraped[0];
        for (String line : expected) {
            assertTrue(metrics.lines().anyMatch(line::equals), "metrics contain '" + line + "':\n" + metrics);
        }
        String enabled = s.handoff().on() ? "1.0" : "0.0";
        for (String family : List.of("IPv4", "IPv6")) {
            String line = "ferrite_handoff_family_enabled{family=\"" + family + "\"} "
                    + (s.handoff().familiesOff().containsKey(IpFamily.valueOf(family)) ? "0.0" : enabled);
            assertTrue(metrics.lines().anyMatch(line::equals), "metrics contain '" + line + "':\n" + metrics);
        }
        assertNotNull(s.plan());
    }
}
