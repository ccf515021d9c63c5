package dev.ferrite.deploy;

import static dev.ferrite.deploy.RecordingApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.speaker.Speaker;
import dev.ferrite.speaker.SpeakerOptions;
import dev.ferrite.speaker.model.AnnouncerCounts;
import dev.ferrite.speaker.ownership.Announcer;
import dev.ferrite.speaker.status.ServiceEvents;
import dev.ferrite.speaker.status.StatusWriter;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The speaker's RBAC in deploy/speaker-rbac.yaml against what the speaker really sends: one
 * speaker with its real membership, started the way the DaemonSet starts it (wildcard bind,
 * so it reads its Node's InternalIP), wins a Service with externalTrafficPolicy Local,
 * reports it in a ServiceL2Status and an Event, updates that object when the Service gets a
 * second address, sweeps a ServiceL2Status left over from an
 * earlier run, and hands over on shutdown. Every request must be allowed, and every
 * permission must be used by some request.
 */
class SpeakerRbacTest {

    private static final String NS = "ferrite-system";
    private static final String NODE = "node-a";
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Announces on eth0 in memory; this test is about the API, not about packets. */
    private static final class MemoryAnnouncer implements Announcer {
        final Map<IpAddress, Set<String>> announced = new ConcurrentHashMap<>();

        @Override
        public void announce(Map<IpAddress, Set<String>> wanted) {
            wanted.forEach((ip, advertised) -> announced.put(ip, advertised.isEmpty() ? Set.of("eth0") : advertised));
        }

        @Override
        public java.util.SortedMap<IpAddress, Set<String>> announcements() {
            return new java.util.TreeMap<>(announced);
        }

        @Override
        public void reassert(IpAddress ip) {
            // nothing goes on the wire in this test; only API requests are recorded
        }

        @Override
        public void withdraw(IpAddress ip) {
            announced.remove(ip);
        }

        @Override
        public AnnouncerCounts counts() {
            return AnnouncerCounts.ZERO;
        }

        @Override
        public void close() {
            announced.clear();
        }
    }

    @Test
    void speakerRbacAllowsEveryRequestOfTheSpeakerAndNothingMore() throws Exception {
        RbacPolicy policy = RbacPolicy.of(DeployTree.install(), NS, "ferrite-speaker");
        assertEquals(Set.of(), policy.wildcards(), "wildcards in the speaker's RBAC");

        try (RecordingApiServer api = new RecordingApiServer()) {
            KubernetesClient setup = api.setup();
            setup.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
            api.createLabPoolAndAdvertisement(NS);

            Service web = setup.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("web").withNamespace("default")
                    .addToAnnotations(Annotations.IP_ALLOCATED_FROM_POOL, "lab").endMetadata()
                    .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy("Local")
                    .addNewPort().withPort(80).withProtocol("TCP").endPort().endSpec().build()).create();
            web.setStatus(new ServiceStatusBuilder().withNewLoadBalancer()
                    .withIngress(new LoadBalancerIngressBuilder().withIp("198.18.0.200").build()).endLoadBalancer().build());
            setup.services().inNamespace("default").resource(web).updateStatus();
            setup.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("web-1").withNamespace("default")
                    .addToLabels("kubernetes.io/service-name", "web").endMetadata()
                    .withAddressType("IPv4").addNewEndpoint().withAddresses("10.0.0.1").withNodeName(NODE)
                    .withNewConditions().withReady(true).endConditions().endEndpoint().build()).create();

            // left over from an earlier run of this node's speaker, for a Service it no longer announces
            ServiceL2Status stale = new ServiceL2Status();
            stale.setMetadata(new ObjectMetaBuilder().withName("default-gone-" + NODE).withNamespace(NS)
                    .addToLabels("ferrite.dev/node", NODE).build());
            stale.setSpec(null);
            setup.resources(ServiceL2Status.class).inNamespace(NS).resource(stale).create();

            SpeakerOptions d = SpeakerOptions.defaults(NODE);
            // as the DaemonSet runs it: a wildcard bind, so peers learn the Node's InternalIP
            SpeakerOptions options = new SpeakerOptions(NODE, NS, new InetSocketAddress("0.0.0.0", freeUdpPort()),
                    Optional.empty(), List.of(), Optional.empty(), true, d.probeInterval(), d.suspicionTimeout(),
                    List.of(), List.of(), Optional.empty(), 0, Duration.ofSeconds(1), d.coalesce(), d.handoff(), Optional.empty());
            MemoryAnnouncer announcer = new MemoryAnnouncer();
            IpAddress vip = IpAddress.parse("198.18.0.200").orElseThrow();
            Speaker speaker = Speaker.start(options, api.componentApi(), announcer);
            try {
                await("node-a announces 198.18.0.200", WAIT, () -> announcer.announced.containsKey(vip));
                await("a ServiceL2Status lists 198.18.0.200", WAIT, () -> setup.resources(ServiceL2Status.class)
                        .inNamespace(NS).list().getItems().stream().anyMatch(s -> s.getStatus() != null
                                && s.getStatus().getIps() != null && s.getStatus().getIps().contains("198.18.0.200")));
                await("the nodeAssigned event", WAIT, () -> setup.v1().events().inNamespace("default").list().getItems()
                        .stream().anyMatch(e -> ServiceEvents.NODE_ASSIGNED.equals(e.getReason())));
                // a second address: the object written before is updated with the version of the
                // last answer; a conflict (someone changed it meanwhile) reads it back first
                api.conflictOnce(r -> r.verb().equals("update") && r.resource().equals("servicel2statuses/status"));
                Service current = setup.services().inNamespace("default").withName("web").get();
                current.setStatus(new ServiceStatusBuilder().withNewLoadBalancer().withIngress(
                        new LoadBalancerIngressBuilder().withIp("198.18.0.200").build(),
                        new LoadBalancerIngressBuilder().withIp("198.18.0.201").build()).endLoadBalancer().build());
                setup.services().inNamespace("default").resource(current).updateStatus();
                await("the ServiceL2Status lists 198.18.0.201 too", WAIT, () -> setup.resources(ServiceL2Status.class)
                        .inNamespace(NS).list().getItems().stream().anyMatch(s -> s.getStatus() != null
                                && s.getStatus().getIps() != null && s.getStatus().getIps().contains("198.18.0.201")));
                assertTrue(api.conflictSent(), "the status update met no conflict");
                // deleted once a restarted speaker has had its grace to announce it again
                await("the leftover ServiceL2Status is swept", StatusWriter.LEFTOVER_GRACE.plus(WAIT),
                        () -> setup.resources(ServiceL2Status.class).inNamespace(NS)
                                .withName(stale.getMetadata().getName()).get() == null);
                Lease witness = setup.resources(Lease.class).inNamespace(NS).withName("ferrite-speaker-" + NODE).get();
                assertTrue(witness != null, "the speaker creates its witness Lease");
                String created = witness.getMetadata().getResourceVersion();
                await("the witness Lease is renewed", Duration.ofSeconds(25), () -> !created.equals(setup
                        .resources(Lease.class).inNamespace(NS).withName("ferrite-speaker-" + NODE).get()
                        .getMetadata().getResourceVersion()));
            } finally {
                speaker.shutdown();
            }
            assertEquals(List.of(), setup.resources(ServiceL2Status.class).inNamespace(NS).list().getItems(),
                    "a stopped speaker leaves no ServiceL2Status behind");
            assertEquals(List.of(), setup.resources(Lease.class).inNamespace(NS).list().getItems(),
                    "a stopped speaker deletes its witness Lease");

            String diff = policy.diff(api.recorded());
            assertTrue(diff.isEmpty(), "deploy/speaker-rbac.yaml does not match the speaker's requests:\n" + diff);
            ControllerRbacTest.assertOnlyDiscovery(api.nonResource());
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
