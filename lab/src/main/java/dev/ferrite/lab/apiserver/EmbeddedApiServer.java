package dev.ferrite.lab.apiserver;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lab's Kubernetes API: fabric8's mock server in CRUD mode (objects are stored, listed,
 * watched and patched like on a real API server, in memory), with Ferrite's three custom
 * resources registered so their status subresource behaves, and the API discovery, tables and
 * patch types the real {@code kubectl} needs ({@link LabApiDispatcher}). Plain HTTP without
 * authentication: it only ever listens inside the lab's control-plane namespace.
 *
 * <p>Run as a process in that namespace: {@code --bind 198.18.0.2 --port 6443}. It prints
 * one line starting with {@value #READY} once it accepts connections, then serves until it
 * is signalled.
 */
@Command(name = "apiserver", description = "Embedded Kubernetes API server (fabric8 CRUD mock) for the lab.")
public final class EmbeddedApiServer implements AutoCloseable, Runnable {
    public static final String READY = "ferrite-lab apiserver listening on ";
    /**
     * The lab's own batch write, no Kubernetes API: {@code POST} a JSON array of objects and each
     * is server-side applied in turn, as if by its own request, watch events included. The lab's
     * EndpointSlice controller writes a cut-off node's slices with it in one request, since this
     * server takes one request at a time (a real one takes them concurrently).
     */
    public static final String BATCH_APPLY_PATH = "/lab/apply";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiServer.class);
    static final List<Class<? extends CustomResource<?, ?>>> CUSTOM_RESOURCES =
            List.of(IPAddressPool.class, L2Advertisement.class, ServiceL2Status.class);

    @Option(names = "--bind", required = true, description = "Address to listen on.")
    String bind;

    @Option(names = "--port", defaultValue = "6443", description = "Port to listen on (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--relay-socket", description = "Also serve through this Unix socket (for the drill in the root namespace).")
    java.nio.file.Path relaySocket;

    private KubernetesMockServer server;

    /** Starts listening; returns the URL clients use. */
    public String start(InetAddress address, int listenPort) {
        List<CustomResourceDefinitionContext> crds = CUSTOM_RESOURCES.stream().map(EmbeddedApiServer::context).toList();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new LabApiDispatcher(crds, ApiCatalog.lab(), java.time.Clock.systemUTC()), false);
        server.start(address, listenPort);
        String url = url(address, server.getPort());
        LOG.info("embedded API server listening on {}", url);
        return url;
    }

    private static CustomResourceDefinitionContext context(Class<? extends CustomResource<?, ?>> type) {
        CustomResourceDefinitionContext c = CustomResourceDefinitionContext.fromCustomResourceType(type);
        return new CustomResourceDefinitionContext.Builder()
                .withGroup(c.getGroup()).withVersion(c.getVersion()).withKind(c.getKind())
                .withPlural(c.getPlural()).withName(c.getName()).withScope(c.getScope())
                .withStatusSubresource(true)
                .build();
    }

    static String url(InetAddress address, int port) {
        String host = address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port;
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    @Override
    public void run() {
        try {
            InetAddress address = InetAddress.getByName(bind);
            String url = start(address, port);
            SocketRelay relay = relaySocket == null ? null
                    : SocketRelay.fromUnixSocket(relaySocket, new java.net.InetSocketAddress(address, port));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (relay != null) {
                    relay.close();
                }
                close();
                stopped.countDown();
            }, "apiserver-stop"));
            System.out.println(READY + url);
            System.out.flush();
            stopped.await();
        } catch (Exception e) {
            throw new IllegalStateException("embedded API server on " + bind + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        // the mock server logs every request through java.util.logging: keep only problems
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        int code = new CommandLine(new EmbeddedApiServer()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
