package dev.ferrite.lab.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's batch apply ({@link EmbeddedApiServer#BATCH_APPLY_PATH}) with a real client. */
class BatchApplyTest {
    private EmbeddedApiServer server;
    private KubernetesClient client;
    private String batch;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        server = new EmbeddedApiServer();
        String url = server.start(InetAddress.getLoopbackAddress(), 0);
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Kubeconfig.write(dir.resolve("kubeconfig"), url, "default"))))
                .build();
        batch = url + EmbeddedApiServer.BATCH_APPLY_PATH;
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    static EndpointSlice slice(String service, String... addresses) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-lab").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort();
        for (String a : addresses) {
            b.addNewEndpoint().withAddresses(a).withNodeName("node1").endEndpoint();
        }
        return b.build();
    }

    @Test
    void createsAndReplacesEveryObjectInOneRequestAndWatchersSeeEachWrite() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Watch w = client.discovery().v1().endpointSlices().inNamespace("default").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, EndpointSlice s) {
                events.add(action + " " + s.getMetadata().getName() + " " + s.getEndpoints().size());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            String answer = client.raw(batch, "POST", List.of(slice("web", "198.19.1.11", "198.19.2.11"), slice("api", "198.19.1.11")));
            assertTrue(answer.contains("\"2 applied\""), answer);
            client.raw(batch, "POST", List.of(slice("web", "198.19.1.11"), slice("api", "198.19.1.11", "198.19.3.11")));

            EndpointSlice web = client.discovery().v1().endpointSlices().inNamespace("default").withName("web-lab").get();
            assertEquals(1, web.getEndpoints().size(), "the list is replaced, not merged: " + web.getEndpoints());
            assertEquals("198.19.1.11", web.getEndpoints().get(0).getAddresses().get(0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of("ADDED web-lab 2", "ADDED api-lab 1", "MODIFIED web-lab 1", "MODIFIED api-lab 2"), events);
        }
    }

    @Test
    void refusesWhatItCannotApplyAndSaysHowFarItGot() throws Exception {
        KubernetesClientException notArray = assertThrows(KubernetesClientException.class,
                () -> client.raw(batch, "POST", slice("web", "198.19.1.11")));
        assertEquals(400, notArray.getCode());
        assertTrue(notArray.getMessage().contains("must be a JSON array"), notArray.getMessage());

        HasMetadata unnamed = new ConfigMapBuilder().withNewMetadata().withNamespace("default").endMetadata().build();
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> client.raw(batch, "POST", List.of(slice("web", "198.19.1.11"), unnamed)));
        assertEquals(400, refused.getCode());
        assertTrue(refused.getMessage().contains("item 1") && refused.getMessage().contains("the 1 before it were applied"),
                refused.getMessage());
        assertEquals(1, client.discovery().v1().endpointSlices().inNamespace("default").withName("web-lab").get()
                .getEndpoints().size(), "the item before the refused one stays applied");
    }
}
