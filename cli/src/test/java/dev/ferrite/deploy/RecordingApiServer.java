package dev.ferrite.deploy;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.speaker.k8s.ApiAccess;
import dev.ferrite.speaker.k8s.KubeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * fabric8's mock API server in CRUD mode that records every request a component's client
 * sends (told apart from the test's own set-up requests by the User-Agent), and can answer
 * one chosen request with 409 Conflict, as a real API server does when an object changed
 * between a read and a write.
 */
final class RecordingApiServer implements AutoCloseable {

    private static final String COMPONENT_AGENT = "ferrite-component-under-test";
    /** Held so the level sticks: the mock server logs every request at INFO through JUL. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final List<ApiRequest> recorded = new ArrayList<>();
    private final List<String> unparsed = new ArrayList<>();
    private final AtomicReference<Predicate<ApiRequest>> conflictOnce = new AtomicReference<>();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient setup;

    RecordingApiServer() {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (COMPONENT_AGENT.equals(request.getHeader("User-Agent"))) {
                    var parsed = ApiRequest.of(request.getMethod(), request.getPath());
                    synchronized (recorded) {
                        parsed.ifPresentOrElse(recorded::add, () -> unparsed.add(request.getMethod() + " " + request.getPath()));
                    }
                    Predicate<ApiRequest> conflict = conflictOnce.get();
                    if (parsed.isPresent() && conflict != null && conflict.test(parsed.get())
                            && conflictOnce.compareAndSet(conflict, null)) {
                        return new MockResponse().setResponseCode(409).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                + "\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,\"message\":\"the object has been modified\"}");
                    }
                }
                return super.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        for (Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type
                : List.of(IPAddressPool.class, L2Advertisement.class, ServiceL2Status.class)) {
            server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(type));
        }
        setup = server.createClient();
    }

    /** The client the test sets the cluster up with; its requests are not recorded. */
    KubernetesClient setup() {
        return setup;
    }

    /** Creates, as the test's own set-up, pool {@code lab} (198.18.0.200-198.18.0.210) and advertisement {@code all} of it in {@code namespace}. */
    void createLabPoolAndAdvertisement(String namespace) {
        IPAddressPool pool = new IPAddressPool();
        pool.setMetadata(new ObjectMetaBuilder().withName("lab").withNamespace(namespace).build());
        IPAddressPoolSpec poolSpec = new IPAddressPoolSpec();
        poolSpec.setAddresses(List.of("198.18.0.200-198.18.0.210"));
        pool.setSpec(poolSpec);
        setup.resources(IPAddressPool.class).inNamespace(namespace).resource(pool).create();
        L2Advertisement ad = new L2Advertisement();
        ad.setMetadata(new ObjectMetaBuilder().withName("all").withNamespace(namespace).build());
        L2AdvertisementSpec adSpec = new L2AdvertisementSpec();
        adSpec.setIpAddressPools(List.of("lab"));
        ad.setSpec(adSpec);
        setup.resources(L2Advertisement.class).inNamespace(namespace).resource(ad).create();
    }

    /** A new client for the component under test; its requests are recorded. */
    /** The speaker's own access to this server, marked as the component's. */
    KubeApi componentApi() {
        return new KubeApi(ApiAccess.plain(URI.create(server.createClient().getConfiguration().getMasterUrl()))
                .withUserAgent(COMPONENT_AGENT));
    }

    KubernetesClient componentClient() {
        Config config = new ConfigBuilder(server.createClient().getConfiguration()).withUserAgent(COMPONENT_AGENT).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The next component request {@code which} matches gets 409 Conflict instead of an answer. */
    void conflictOnce(Predicate<ApiRequest> which) {
        conflictOnce.set(which);
    }

    boolean conflictSent() {
        return conflictOnce.get() == null;
    }

    List<ApiRequest> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** Non-resource requests (discovery, /version) the component sent. */
    List<String> nonResource() {
        synchronized (recorded) {
            return List.copyOf(unparsed);
        }
    }

    boolean sawRequest(Predicate<ApiRequest> which) {
        return recorded().stream().anyMatch(which);
    }

    /** Polls every 20 ms until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    @Override
    public void close() {
        setup.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // the mock server waits a bounded time for lingering watch connections; not a test result
            MOCK_LOG.warning("mock API server did not shut down cleanly: " + e.getMessage());
        }
    }
}
