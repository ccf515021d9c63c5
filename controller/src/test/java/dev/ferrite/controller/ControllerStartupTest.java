package dev.ferrite.controller;

import static dev.ferrite.controller.MockCluster.loadBalancer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A controller started while the API server is unreachable allocates once it is up, without a restart. */
class ControllerStartupTest {

    @Test
    void aControllerStartedBeforeTheApiServerAllocatesOnceItComes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KubernetesClient early = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).withWatchReconnectInterval(200)
                .build()).build();
        Controller controller = Controller.start(ControllerOptions.inProcess(MockCluster.NAMESPACE, "test"), early);
        try {
            Thread.sleep(300); // let the first lists fail: the point of the test
            assertFalse(controller.ready(), "not ready while the API is unreachable");
            try (MockCluster cluster = new MockCluster(port)) {
                cluster.pool("lab", "198.18.0.200-198.18.0.201");
                cluster.create(loadBalancer("default", "web").build());
                MockCluster.await("controller ready once the API answers", Duration.ofSeconds(60), controller::ready);
                MockCluster.await("web has an address", Duration.ofSeconds(60),
                        () -> !cluster.ingress("default", "web").isEmpty());
                assertEquals(List.of("198.18.0.200"), cluster.ingress("default", "web"));
            }
        } finally {
            controller.close();
            early.close();
        }
    }
}
