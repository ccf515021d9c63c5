package dev.ferrite.speaker.k8s;

import static dev.ferrite.speaker.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.speaker.model.NodeView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private KubernetesMockServer server;
    private KubernetesClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    private static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
    }

    private static Node node(String name, String ip, Map<String, String> annotations) {
        return new NodeBuilder().withNewMetadata().withName(name).withAnnotations(annotations).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus().build();
    }

    /** One handler call, as a line: "+name", "-name", or "name: old → new". */
    private static String describe(NodeView before, NodeView after) {
        if (before == null) {
            return "+" + after.name() + " " + after.internalIps();
        }
        if (after == null) {
            return "-" + before.name();
        }
        return before.name() + ": " + before.internalIps() + " → " + after.internalIps();
    }

    /** A watch of the Nodes of {@link #client} that writes each change into {@code changes}. */
    private ListWatch<NodeView> watchNodes(List<String> changes, Runnable afterList) {
        return new ListWatch<>("Nodes", MockApi.of(client), "/api/v1/nodes", ObjectViews::node,
                (before, after) -> changes.add(describe(before, after)), afterList);
    }

    @Test
    void listsThenHandsOverEveryChangeOfAViewInOrder() throws Exception {
        server = crudServer();
        server.init();
        client = server.createClient();
        client.nodes().resource(node("node-a", "198.18.1.1", Map.of())).create();
        List<String> changes = new CopyOnWriteArrayList<>();
        AtomicInteger lists = new AtomicInteger();
        try (ListWatch<NodeView> nodes = watchNodes(changes, lists::incrementAndGet)) {
            nodes.start().get();
            assertTrue(nodes.hasSynced());
            assertEquals(1, lists.get());
            assertEquals(List.of("+node-a [198.18.1.1]"), changes);

            client.nodes().resource(node("node-b", "198.18.1.2", Map.of())).create();
            // a field the view does not read changes nothing the handler sees
            client.nodes().resource(node("node-a", "198.18.1.1", Map.of("note", "unread"))).update();
            client.nodes().resource(node("node-a", "198.18.1.9", Map.of("note", "unread"))).update();
            client.nodes().withName("node-b").delete();
            List<String> expected = List.of("+node-a [198.18.1.1]", "+node-b [198.18.1.2]",
                    "node-a: [198.18.1.1] → [198.18.1.9]", "-node-b");
            await("the watch's changes", WAIT, () -> changes.equals(expected));
            assertEquals(List.of("node-a"), nodes.list().stream().map(NodeView::name).toList());
            assertEquals("node-a", nodes.get("node-a").name());
        }
    }

    @Test
    void anApiThatIsNotThereYetIsListedOnceItIs() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port).build();
        client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
        List<String> changes = new CopyOnWriteArrayList<>();
        try (ListWatch<NodeView> nodes = watchNodes(changes, () -> { })) {
            var listed = nodes.start();
            Thread.sleep(300);
            assertFalse(nodes.hasSynced(), "nothing to list yet");
            assertFalse(listed.isDone());

            server = crudServer();
            server.init(InetAddress.getLoopbackAddress(), port);
            try (KubernetesClient writer = server.createClient()) {
                writer.nodes().resource(node("node-a", "198.18.1.1", Map.of())).create();
                await("listed once the API answers", WAIT, nodes::hasSynced);
                await("node-a seen", WAIT, () -> changes.contains("+node-a [198.18.1.1]"));
                writer.nodes().resource(node("node-b", "198.18.1.2", Map.of())).create();
                await("and watched", WAIT, () -> changes.contains("+node-b [198.18.1.2]"));
            }
        }
    }

    @Test
    void aListThatIsNotJsonIsListedAgainAndLosesNothing() throws Exception {
        server = new KubernetesMockServer(false);
        server.init();
        String nodeList = """
                {"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "7"},
                 "items": [{"metadata": {"name": "node-a", "resourceVersion": "7"},
                            "status": {"addresses": [{"type": "InternalIP", "address": "198.18.1.1"}]}}]}
                """;
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, "{\"kind\": \"NodeList\", \"items\": [{]}").once();
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, nodeList).once();
        client = server.createClient();
        List<String> changes = new CopyOnWriteArrayList<>();
        try (ListWatch<NodeView> nodes = watchNodes(changes, () -> { })) {
            nodes.start();
            await("listed at the second try", WAIT, nodes::hasSynced);
            assertEquals(List.of("+node-a [198.18.1.1]"), changes);
        }
    }

    @Test
    void anEventThatCannotBeReadOrAnErrorEventListsAgainAndLosesNothing() throws Exception {
        server = new KubernetesMockServer(false);
        server.init();
        String nodeA = "{\"metadata\": {\"name\": \"node-a\", \"resourceVersion\": \"%s\"},"
                + " \"status\": {\"addresses\": [{\"type\": \"InternalIP\", \"address\": \"%s\"}]}}";
        String list = "{\"kind\": \"NodeList\", \"metadata\": {\"resourceVersion\": \"%s\"}, \"items\": [%s]}";
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, list.formatted("7", nodeA.formatted("7", "198.18.1.1")))
                .once();
        // the first watch: a change, then garbage
        server.expect().get().withPath("/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=7")
                .andUpgradeToWebSocket().open()
                .immediately().andEmit("{\"type\": \"MODIFIED\", \"object\": " + nodeA.formatted("8", "198.18.1.2") + "}")
                .immediately().andEmit("{\"type\": \"MODIFIED\", \"object\": {\"metadata\": ")
                .done().once();
        // listed again: what changed meanwhile is there; the second watch ends with 410 Gone
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, list.formatted("9", nodeA.formatted("9", "198.18.1.3")))
                .once();
        server.expect().get().withPath("/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=9")
                .andUpgradeToWebSocket().open()
                .immediately().andEmit("{\"type\": \"ERROR\", \"object\": {\"kind\": \"Status\", \"code\": 410,"
                        + " \"reason\": \"Expired\"}}")
                .done().once();
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, list.formatted("11", nodeA.formatted("11", "198.18.1.4")))
                .once();
        client = server.createClient();
        List<String> changes = new CopyOnWriteArrayList<>();
        AtomicInteger lists = new AtomicInteger();
        try (ListWatch<NodeView> nodes = watchNodes(changes, lists::incrementAndGet)) {
            nodes.start();
            List<String> expected = List.of("+node-a [198.18.1.1]", "node-a: [198.18.1.1] → [198.18.1.2]",
                    "node-a: [198.18.1.2] → [198.18.1.3]", "node-a: [198.18.1.3] → [198.18.1.4]");
            await("every change, through two lists again", WAIT, () -> changes.equals(expected));
            assertEquals(3, lists.get());
        }
    }

    @Test
    void aGetOfSomethingMissingIsEmpty() throws IOException {
        server = crudServer();
        server.init();
        client = server.createClient();
        client.nodes().resource(node("node-a", "198.18.1.1", Map.of())).create();
        KubeApi api = MockApi.of(client);
        assertTrue(api.getIfFound("/api/v1/nodes/node-a").isPresent());
        assertTrue(api.getIfFound("/api/v1/nodes/node-z").isEmpty());
    }
}
