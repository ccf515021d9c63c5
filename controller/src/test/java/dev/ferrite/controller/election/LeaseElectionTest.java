package dev.ferrite.controller.election;

import static dev.ferrite.controller.MockCluster.await;
import static dev.ferrite.controller.MockCluster.loadBalancer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ferrite.controller.Controller;
import dev.ferrite.controller.ControllerOptions;
import dev.ferrite.controller.MockCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two controller replicas against one API server: one leads, the other takes over when it stops. */
class LeaseElectionTest {

    private static final LeaseElection.Timing FAST =
            new LeaseElection.Timing(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));

    private MockCluster cluster;
    private final List<Controller> controllers = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
    }

    @AfterEach
    void tearDown() {
        controllers.forEach(Controller::close);
        clients.forEach(KubernetesClient::close);
        cluster.close();
    }

    private Controller replica(String identity) throws Exception {
        KubernetesClient client = cluster.newClient();
        clients.add(client);
        Controller c = Controller.start(ControllerOptions.inProcess(MockCluster.NAMESPACE, identity)
                .withLeaderElection(true, FAST), client);
        controllers.add(c);
        return c;
    }

    private String holder() {
        Lease lease = cluster.client().leases().inNamespace(MockCluster.NAMESPACE).withName(LeaseElection.LEASE_NAME).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.201");
        Controller a = replica("replica-a");
        Controller b = replica("replica-b");

        await("one leader", () -> a.leading() ^ b.leading());
        Controller leader = a.leading() ? a : b;
        Controller standby = leader == a ? b : a;
        String leaderName = leader == a ? "replica-a" : "replica-b";
        assertEquals(leaderName, holder());

        cluster.create(loadBalancer("default", "web").build());
        await("web allocated by the leader", () -> !cluster.ingress("default", "web").isEmpty());

        leader.close();
        controllers.remove(leader);
        // The mock API server can stall for up to 30 s when a watch of the stopped leader closes
        // (its event loop waits on a websocket write); a real API server does not.
        await("standby took over", Duration.ofSeconds(45), standby::leading);
        assertNotEquals(leaderName, holder());

        cluster.create(loadBalancer("default", "api").build());
        await("api allocated by the new leader", () -> !cluster.ingress("default", "api").isEmpty());
        assertEquals(List.of("198.18.0.200"), cluster.ingress("default", "web"));
        assertEquals(List.of("198.18.0.201"), cluster.ingress("default", "api"));
    }
}
