package dev.ferrite.controller.reconcile;

import static dev.ferrite.controller.MockCluster.await;
import static dev.ferrite.controller.MockCluster.loadBalancer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.controller.Controller;
import dev.ferrite.controller.ControllerOptions;
import dev.ferrite.controller.MockCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller against an embedded API server (fabric8 mock server, CRUD mode). */
class ServiceReconcilerTest {

    private MockCluster cluster;
    private Controller controller;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        cluster.close();
    }

    private void startController() throws Exception {
        startController(ControllerOptions.inProcess(MockCluster.NAMESPACE, "test"));
    }

    private void startController(ControllerOptions options) throws Exception {
        controller = Controller.start(options, cluster.client());
    }

    private String ingressOf(String name) {
        List<String> ips = cluster.ingress("default", name);
        return ips.isEmpty() ? null : ips.get(0);
    }

    private String awaitIngress(String name) {
        return MockCluster.awaitValue(name + " has an address", () -> ingressOf(name));
    }

    private Optional<Condition> validCondition(String pool) {
        IPAddressPool p = cluster.getPool(pool);
        if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> "Valid".equals(c.getType())).findFirst();
    }

    @Test
    void loadBalancerServiceGetsAddressFromPoolWithEventAndAnnotation() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.201");
        startController();
        cluster.create(loadBalancer("default", "web").build());

        assertEquals("198.18.0.200", awaitIngress("web"));
        Service web = cluster.get("default", "web");
        assertEquals("VIP", web.getStatus().getLoadBalancer().getIngress().get(0).getIpMode());
        await("pool annotation", () -> "lab".equals(annotations("web").get(Annotations.IP_ALLOCATED_FROM_POOL)));
        await("IPAllocated event", () -> !cluster.events("default", "web", "IPAllocated").isEmpty());
        Event e = cluster.events("default", "web", "IPAllocated").get(0);
        assertEquals("Normal", e.getType());
        assertTrue(e.getMessage().contains("198.18.0.200") && e.getMessage().contains("pool lab"), e.getMessage());
    }

    private Map<String, String> annotations(String name) {
        Service s = cluster.get("default", name);
        return s == null || s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
    }

    @Test
    void deletedServiceFreesItsAddressForTheNextService() throws Exception {
        cluster.pool("lab", "198.18.0.200/32");
        startController();
        cluster.create(loadBalancer("default", "first").build());
        assertEquals("198.18.0.200", awaitIngress("first"));

        cluster.create(loadBalancer("default", "second").build());
        await("second reported pending", () -> !cluster.events("default", "second", "AllocationFailed").isEmpty());
        assertNull(ingressOf("second"));

        cluster.delete("default", "first");
        assertEquals("198.18.0.200", awaitIngress("second"));
    }

    @Test
    void restartKeepsEveryAddress() throws Exception {
        cluster.pool("lab", "198.18.1.0/24");
        startController();
        for (int i = 0; i < 100; i++) {
            cluster.create(loadBalancer("default", String.format("svc-%03d", i)).build());
        }
        await("100 services allocated", () -> addresses().size() == 100);
        // holes in the middle, so a controller that allocated afresh would hand them out first
        for (int i = 10; i < 20; i++) {
            cluster.delete("default", String.format("svc-%03d", i));
        }
        await("deletes seen", () -> controller.writesOutstanding() == 0
                && cluster.client().services().inNamespace("default").list().getItems().size() == 90);
        Map<String, String> before = addresses();
        controller.close();
        controller = null;

        // created while no controller runs; sorts before every other Service
        cluster.create(loadBalancer("default", "aaa-new").build());
        startController();
        String fresh = awaitIngress("aaa-new");

        Map<String, String> after = addresses();
        after.remove("aaa-new");
        assertEquals(before, after);
        assertFalse(before.containsValue(fresh), "new service got an address already in use: " + fresh);
    }

    private Map<String, String> addresses() {
        Map<String, String> out = new HashMap<>();
        for (Service s : cluster.client().services().inNamespace("default").list().getItems()) {
            var ingress = s.getStatus() == null || s.getStatus().getLoadBalancer() == null ? null
                    : s.getStatus().getLoadBalancer().getIngress();
            if (ingress != null && !ingress.isEmpty()) {
                out.put(s.getMetadata().getName(), ingress.get(0).getIp());
            }
        }
        return out;
    }

    @Test
    void shrunkPoolMovesOnlyTheServicesOutsideIt() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.209");
        startController();
        for (int i = 0; i < 6; i++) {
            cluster.create(loadBalancer("default", "svc-" + i).build());
        }
        await("6 allocated", () -> addresses().size() == 6);
        Map<String, String> before = addresses();

        cluster.updatePool("lab", "198.18.0.202-198.18.0.211");
        await("services outside the pool moved", () -> addresses().values().stream()
                .noneMatch(ip -> ip.equals("198.18.0.200") || ip.equals("198.18.0.201")) && addresses().size() == 6);

        Map<String, String> after = addresses();
        int moved = 0;
        for (var e : before.entrySet()) {
            boolean outside = e.getValue().equals("198.18.0.200") || e.getValue().equals("198.18.0.201");
            if (outside) {
                moved++;
                assertFalse(after.get(e.getKey()).equals(e.getValue()));
            } else {
                assertEquals(e.getValue(), after.get(e.getKey()), "service " + e.getKey() + " moved");
            }
        }
        assertEquals(2, moved);
    }

    @Test
    void deletedPoolWithdrawsOnlyItsOwnAddresses() throws Exception {
        cluster.pool("a", "198.18.0.200/32");
        cluster.pool("b", "198.18.0.210/32");
        startController();
        cluster.create(loadBalancer("default", "web").editMetadata()
                .addToAnnotations(Annotations.ADDRESS_POOL, "a").endMetadata().build());
        cluster.create(loadBalancer("default", "api").editMetadata()
                .addToAnnotations(Annotations.ADDRESS_POOL, "b").endMetadata().build());
        assertEquals("198.18.0.200", awaitIngress("web"));
        assertEquals("198.18.0.210", awaitIngress("api"));

        cluster.client().resources(IPAddressPool.class).inNamespace(MockCluster.NAMESPACE).withName("b").delete();
        await("api cleared", () -> ingressOf("api") == null);
        await("ClearAssignment event", () -> !cluster.events("default", "api", "ClearAssignment").isEmpty());
        assertTrue(cluster.events("default", "api", "ClearAssignment").get(0).getMessage().contains("198.18.0.210"));
        assertEquals("198.18.0.200", ingressOf("web"));
        assertTrue(cluster.events("default", "web", "ClearAssignment").isEmpty());
    }

    @Test
    void invalidPoolIsReportedAndExistingAllocationsStay() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.201");
        startController();
        cluster.create(loadBalancer("default", "web").build());
        assertEquals("198.18.0.200", awaitIngress("web"));
        await("lab valid", () -> validCondition("lab").map(c -> "True".equals(c.getStatus())).orElse(false));

        cluster.pool("broken", "not-an-address");
        Condition c = MockCluster.awaitValue("broken has Valid=False",
                () -> validCondition("broken").filter(x -> "False".equals(x.getStatus())).orElse(null));
        assertEquals("InvalidConfiguration", c.getReason());
        assertTrue(c.getMessage().contains("broken") && c.getMessage().contains("not-an-address"), c.getMessage());
        await("InvalidConfiguration event", () -> !cluster.events(MockCluster.NAMESPACE, "broken", "InvalidConfiguration").isEmpty());
        assertEquals("Warning", cluster.events(MockCluster.NAMESPACE, "broken", "InvalidConfiguration").get(0).getType());
        await("stale metric", () -> scrape().contains("ferrite_config_stale 1"));

        // the last good configuration stays in force: the next Service is still served from it
        cluster.create(loadBalancer("default", "api").build());
        assertEquals("198.18.0.201", awaitIngress("api"));
        assertEquals("198.18.0.200", ingressOf("web"));
        assertTrue(scrape().contains("ferrite_config_valid 0"));
    }

    private String scrape() {
        StringBuilder b = new StringBuilder();
        try {
            var out = new java.io.ByteArrayOutputStream();
            controller.metrics().writeTo(out);
            b.append(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return b.toString();
    }

    @Test
    void noAllocationBeforeAnyPoolIsValid() throws Exception {
        cluster.pool("broken", "not-an-address");
        startController();
        cluster.create(loadBalancer("default", "web").build());
        await("pending reported", () -> !cluster.events("default", "web", "AllocationFailed").isEmpty());
        assertNull(ingressOf("web"));

        cluster.client().resources(IPAddressPool.class).inNamespace(MockCluster.NAMESPACE).withName("broken").delete();
        cluster.pool("lab", "198.18.0.200/32");
        assertEquals("198.18.0.200", awaitIngress("web"));
    }

    @Test
    void metallbAliasAnnotationIsHonouredWithWarning() throws Exception {
        cluster.pool("a", "198.18.0.200/32");
        cluster.pool("b", "198.18.0.210/32");
        startController();
        cluster.create(loadBalancer("default", "web").editMetadata()
                .addToAnnotations("metallb.io/address-pool", "b").endMetadata().build());

        assertEquals("198.18.0.210", awaitIngress("web"));
        await("DeprecatedAnnotation event", () -> !cluster.events("default", "web", "DeprecatedAnnotation").isEmpty());
        Event e = cluster.events("default", "web", "DeprecatedAnnotation").get(0);
        assertEquals("Warning", e.getType());
        assertTrue(e.getMessage().contains("ferrite.dev/address-pool"), e.getMessage());
    }

    @Test
    void classlessControllerLeavesServicesOfOtherClassesAlone() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.201");
        startController();
        cluster.create(loadBalancer("default", "other").editSpec().withLoadBalancerClass("example.com/other").endSpec().build());
        cluster.create(loadBalancer("default", "mine").build());

        assertEquals("198.18.0.200", awaitIngress("mine"));
        await("quiet", () -> controller.writesOutstanding() == 0);
        assertNull(ingressOf("other"));
    }

    @Test
    void controllerWithClassServesOnlyThatClass() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.201");
        startController(ControllerOptions.inProcess(MockCluster.NAMESPACE, "test").withLbClass(Optional.of("ferrite.dev/lb")));
        cluster.create(loadBalancer("default", "classless").build());
        cluster.create(loadBalancer("default", "mine").editSpec().withLoadBalancerClass("ferrite.dev/lb").endSpec().build());

        assertEquals("198.18.0.200", awaitIngress("mine"));
        await("quiet", () -> controller.writesOutstanding() == 0);
        assertNull(ingressOf("classless"));
    }

    @Test
    void serviceThatStopsBeingLoadBalancerIsClearedAndFreesItsAddress() throws Exception {
        cluster.pool("lab", "198.18.0.200/32");
        startController();
        cluster.create(loadBalancer("default", "web").build());
        assertEquals("198.18.0.200", awaitIngress("web"));
        await("annotation", () -> annotations("web").containsKey(Annotations.IP_ALLOCATED_FROM_POOL));

        cluster.client().services().inNamespace("default").withName("web").edit(s -> {
            s.getSpec().setType("ClusterIP");
            return s;
        });
        await("ingress cleared", () -> ingressOf("web") == null);
        await("annotation removed", () -> !annotations("web").containsKey(Annotations.IP_ALLOCATED_FROM_POOL));
        await("ClearAssignment event", () -> !cluster.events("default", "web", "ClearAssignment").isEmpty());

        cluster.create(loadBalancer("default", "next").build());
        assertEquals("198.18.0.200", awaitIngress("next"));
    }

    @Test
    void poolStatusCountsAddresses() throws Exception {
        cluster.pool("lab", "198.18.0.200-198.18.0.203", "2001:db8::/64");
        startController();
        cluster.create(loadBalancer("default", "web").build());
        cluster.create(loadBalancer("default", "api").build());
        awaitIngress("api");
        await("pool status 2 used, 2 free", () -> {
            var st = cluster.getPool("lab").getStatus();
            return st != null && Long.valueOf(2).equals(st.getAssignedIPv4()) && Long.valueOf(2).equals(st.getAvailableIPv4());
        });
        // 2^64 addresses do not fit in the int64 status field
        assertEquals(Long.MAX_VALUE, cluster.getPool("lab").getStatus().getAvailableIPv6());
        assertEquals(0L, cluster.getPool("lab").getStatus().getAssignedIPv6());
        await("in-use metric", () -> scrape().contains("ferrite_allocator_addresses_in_use_total{pool=\"lab\"} 2.0"));
        assertTrue(scrape().contains("ferrite_allocator_addresses_total{pool=\"lab\"} 1.8446744073709552E19"), scrape());
    }

    @Test
    void httpEndpointServesMetricsAndProbes() throws Exception {
        cluster.pool("lab", "198.18.0.200/32");
        startController(ControllerOptions.inProcess(MockCluster.NAMESPACE, "test").withMetricsPort(0));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + controller.metricsPort();
        await("ready", () -> status(http, base + "/readyz") == 200);
        assertEquals(200, status(http, base + "/healthz"));
        String body = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String name : List.of("ferrite_allocator_addresses_total", "ferrite_allocator_addresses_in_use_total",
                "ferrite_services_pending", "ferrite_config_valid", "ferrite_config_stale")) {
            assertTrue(body.contains(name), name + " missing from:\n" + body);
        }
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
