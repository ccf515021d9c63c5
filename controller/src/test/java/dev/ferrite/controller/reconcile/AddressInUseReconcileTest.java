package dev.ferrite.controller.reconcile;

import static dev.ferrite.controller.MockCluster.await;
import static dev.ferrite.controller.MockCluster.loadBalancer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.AddressConflictInfo;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.api.v1beta1.ServiceL2StatusStatus;
import dev.ferrite.controller.Controller;
import dev.ferrite.controller.ControllerOptions;
import dev.ferrite.controller.MockCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's reaction to an address a speaker found in use (a {@code status.conflicts}
 * entry of kind InUse on a ServiceL2Status), against the fabric8 mock server in CRUD mode.
 */
class AddressInUseReconcileTest {

    private static final String MAC = "02:00:00:00:00:99";
    private MockCluster cluster;
    private Controller controller;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new MockCluster();
        cluster.pool("lab", "198.18.0.10-198.18.0.13");
        controller = Controller.start(ControllerOptions.inProcess(MockCluster.NAMESPACE, "test"), cluster.client());
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        cluster.close();
    }

    /** What a speaker on node-1 writes when its probe of {@code ip} for {@code service} was answered. */
    private void reportInUse(String service, String ip) {
        ServiceL2Status s = new ServiceL2Status();
        s.setMetadata(new ObjectMetaBuilder().withName("default." + service + ".node-1").withNamespace(MockCluster.NAMESPACE).build());
        s.setSpec(null);
        var client = cluster.client().resources(ServiceL2Status.class).inNamespace(MockCluster.NAMESPACE);
        ServiceL2Status created = client.resource(s).create();
        ServiceL2StatusStatus st = new ServiceL2StatusStatus();
        st.setNode("node-1");
        st.setServiceNamespace("default");
        st.setServiceName(service);
        st.setIps(List.of());
        st.setConflicts(List.of(new AddressConflictInfo(ip, AddressConflictInfo.IN_USE, MAC, "ARP reply", "eth0",
                "2026-12-01T23:00:00Z")));
        created.setStatus(st);
        client.resource(created).updateStatus();
    }

    private void reportFree(String service) {
        cluster.client().resources(ServiceL2Status.class).inNamespace(MockCluster.NAMESPACE)
                .withName("default." + service + ".node-1").delete();
    }

    private String ingress(String name) {
        List<String> ips = cluster.ingress("default", name);
        return ips.isEmpty() ? null : ips.get(0);
    }

    private List<String> poolInUse() {
        IPAddressPool p = cluster.getPool("lab");
        return p == null || p.getStatus() == null || p.getStatus().getAddressesInUse() == null ? List.of()
                : p.getStatus().getAddressesInUse().stream().map(a -> a.getIp()).toList();
    }

    @Test
    void anAutoAssignedServiceMovesOffAnAddressFoundInUseAndTheAddressStaysOutOfAllocation() {
        cluster.create(loadBalancer("default", "web").build());
        await("web gets .10", () -> "198.18.0.10".equals(ingress("web")));
        reportInUse("web", "198.18.0.10");
        await("web moves to .11", () -> "198.18.0.11".equals(ingress("web")));
        await("the pool lists the address in use", () -> poolInUse().equals(List.of("198.18.0.10")));
        await("AddressInUse event", () -> !cluster.events("default", "web", "AddressInUse").isEmpty());
        assertTrue(cluster.events("default", "web", "AddressInUse").get(0).getMessage().contains(MAC));
        await("available counts exclude it", () -> Long.valueOf(2).equals(cluster.getPool("lab").getStatus().getAvailableIPv4()));

        cluster.create(loadBalancer("default", "next").build());
        await("a new Service is not given the address in use", () -> "198.18.0.12".equals(ingress("next")));

        reportFree("web");
        await("the pool no longer lists it", () -> poolInUse().isEmpty());
        cluster.create(loadBalancer("default", "later").build());
        await("free again: handed out", () -> "198.18.0.10".equals(ingress("later")));
    }

    @Test
    void aServiceThatRequestedAnAddressInUseStaysPendingWithTheReasonUntilItIsFree() {
        cluster.create(loadBalancer("default", "db").editOrNewSpec().withLoadBalancerIP("198.18.0.12").endSpec().build());
        await("db gets the address it asked for", () -> "198.18.0.12".equals(ingress("db")));
        reportInUse("db", "198.18.0.12");
        await("db loses it", () -> ingress("db") == null);
        await("pending with the reason", () -> cluster.events("default", "db", "AllocationFailed").stream()
                .anyMatch(e -> e.getMessage().contains("198.18.0.12 is in use by a host outside the cluster")
                        && e.getMessage().contains(MAC)));
        reportFree("db");
        await("db gets it back once free", () -> "198.18.0.12".equals(ingress("db")));
        await("the pool no longer lists it", () -> poolInUse().isEmpty());
    }
}
