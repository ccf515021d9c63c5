package dev.ferrite.controller;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * An embedded API server (fabric8's mock server in CRUD mode) with the objects the
 * controller tests need, and bounded polling to wait for the controller's effects.
 */
public final class MockCluster implements AutoCloseable {

    public static final String NAMESPACE = "ferrite-system";

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;

    /** Held so the level sticks: the mock server logs every request at INFO through JUL. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public MockCluster() {
        this(0);
    }

    /** A server on {@code port} of the loopback address (0: any free port). */
    public MockCluster(int port) {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), port);
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(IPAddressPool.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(L2Advertisement.class));
        client = server.createClient();
        namespace(NAMESPACE, Map.of());
        namespace("default", Map.of());
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    /** A second client to the same server, as a second controller replica would have. */
    public NamespacedKubernetesClient newClient() {
        return server.createClient();
    }

    public void namespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    public IPAddressPool pool(String name, String... addresses) {
        IPAddressPool p = new IPAddressPool();
        p.getMetadata().setName(name);
        p.getMetadata().setNamespace(NAMESPACE);
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(List.of(addresses));
        p.setSpec(spec);
        return client.resources(IPAddressPool.class).inNamespace(NAMESPACE).resource(p).create();
    }

    /**
     * Read-modify-write of a pool's addresses, retried on a conflict: the controller writes the
     * pool's status meanwhile, as it would on a real cluster.
     */
    public IPAddressPool updatePool(String name, String... addresses) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(IPAddressPool.class).inNamespace(NAMESPACE).withName(name).edit(p -> {
                    p.getSpec().setAddresses(List.of(addresses));
                    p.getMetadata().setGeneration(p.getMetadata().getGeneration() == null ? 2 : p.getMetadata().getGeneration() + 1);
                    return p;
                });
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    public IPAddressPool getPool(String name) {
        return client.resources(IPAddressPool.class).inNamespace(NAMESPACE).withName(name).get();
    }

    public static ServiceBuilder loadBalancer(String namespace, String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withProtocol("TCP").withPort(80).endPort()
                .withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack").endSpec();
    }

    public Service create(Service s) {
        return client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).create();
    }

    public Service get(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    public void delete(String namespace, String name) {
        client.services().inNamespace(namespace).withName(name).delete();
    }

    /** The addresses in the Service's status (empty when none or gone). */
    public List<String> ingress(String namespace, String name) {
        Service s = get(namespace, name);
        if (s == null || s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return s.getStatus().getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList();
    }

    public List<Event> events(String namespace, String involvedName, String reason) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    /** Polls every 20 ms until {@code condition} holds; fails with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    public static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    /** Polls until {@code value} is non-null and returns it. */
    public static <T> T awaitValue(String what, Supplier<T> value) {
        Object[] box = new Object[1];
        await(what, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // the mock server waits a bounded time for lingering watch connections; not a test result
            MOCK_LOG.warning("mock API server did not shut down cleanly: " + e.getMessage());
        }
    }
}
