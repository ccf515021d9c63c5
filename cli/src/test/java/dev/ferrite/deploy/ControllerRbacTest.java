package dev.ferrite.deploy;

import static dev.ferrite.deploy.RecordingApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.controller.Controller;
import dev.ferrite.controller.ControllerOptions;
import dev.ferrite.controller.election.LeaseElection;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The controller's RBAC in deploy/controller-rbac.yaml against what the controller really
 * sends: it runs with leader election against a recording API server through a flow that
 * touches everything it does in a cluster (take the Lease and renew it, allocate an address
 * for a Service, survive a write conflict on its status, annotate it, write pool and
 * advertisement status, post Events). Every request must be allowed, and every permission
 * must be used by some request.
 */
class ControllerRbacTest {

    private static final String NS = "ferrite-system";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void controllerRbacAllowsEveryRequestOfTheControllerAndNothingMore() throws Exception {
        RbacPolicy policy = RbacPolicy.of(DeployTree.install(), NS, "ferrite-controller");
        assertEquals(Set.of(), policy.wildcards(), "wildcards in the controller's RBAC");

        try (RecordingApiServer api = new RecordingApiServer()) {
            KubernetesClient setup = api.setup();
            for (String ns : List.of(NS, "default")) {
                setup.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            }
            api.createLabPoolAndAdvertisement(NS);

            // a Service that changes between the controller's read and its status write
            api.conflictOnce(r -> r.verb().equals("update") && r.resource().equals("services/status"));

            ControllerOptions options = new ControllerOptions(NS, Optional.empty(), -1, true, "rbac-test",
                    ControllerOptions.DEFAULT_WRITE_CONCURRENCY,
                    new LeaseElection.Timing(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200)));
            try (KubernetesClient client = api.componentClient()) {
                Controller controller = Controller.start(options, client);
                try {
                    await("the controller leads", WAIT, controller::leading);
                    setup.services().inNamespace("default").resource(new ServiceBuilder()
                            .withNewMetadata().withName("web").withNamespace("default").endMetadata()
                            .withNewSpec().withType("LoadBalancer").addNewPort().withProtocol("TCP").withPort(80).endPort()
                            .withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack").endSpec().build()).create();

                    await("web gets an address", WAIT, () -> ingress(setup).isPresent());
                    await("web is annotated with its pool", WAIT, () -> "lab".equals(annotation(setup)));
                    await("an event on web", WAIT, () -> !setup.v1().events().inNamespace("default").list().getItems().isEmpty());
                    await("pool status written", WAIT, () -> setup.resources(IPAddressPool.class).inNamespace(NS)
                            .withName("lab").get().getStatus() != null);
                    await("advertisement status written", WAIT, () -> setup.resources(L2Advertisement.class).inNamespace(NS)
                            .withName("all").get().getStatus() != null);
                    await("the lease renewed", WAIT, () -> api.sawRequest(r -> r.resource().equals("leases")
                            && r.verb().equals("patch")));
                } finally {
                    controller.close();
                }
            }
            assertTrue(api.conflictSent(), "the status write never happened, so the conflict was never answered");
            assertEquals("198.18.0.200", ingress(setup).orElseThrow());

            String diff = policy.diff(api.recorded());
            assertTrue(diff.isEmpty(), "deploy/controller-rbac.yaml does not match the controller's requests:\n" + diff);
            assertOnlyDiscovery(api.nonResource());
        }
    }

    static void assertOnlyDiscovery(List<String> nonResource) {
        Set<String> odd = new TreeSet<>();
        for (String r : nonResource) {
            String path = r.substring(r.indexOf(' ') + 1).replaceAll("\\?.*", "");
            boolean discovery = r.startsWith("GET ") && (path.equals("/version") || path.matches("/apis?(/[^/]+){0,2}/?"));
            if (!discovery) {
                odd.add(r);
            }
        }
        assertEquals(Set.of(), odd, "requests outside the resource API and discovery");
    }

    private static Optional<String> ingress(KubernetesClient setup) {
        Service s = setup.services().inNamespace("default").withName("web").get();
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(s.getStatus().getLoadBalancer().getIngress().get(0).getIp());
    }

    private static String annotation(KubernetesClient setup) {
        Service s = setup.services().inNamespace("default").withName("web").get();
        return s == null || s.getMetadata().getAnnotations() == null ? null
                : s.getMetadata().getAnnotations().get(Annotations.IP_ALLOCATED_FROM_POOL);
    }
}
