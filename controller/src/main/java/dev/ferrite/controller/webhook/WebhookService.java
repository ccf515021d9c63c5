package dev.ferrite.controller.webhook;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the admission webhook to the cluster: its own informers on pools and
 * advertisements, so that every controller replica answers admission reviews, the standbys
 * included (the reconciler's informers run only on the leader).
 */
public final class WebhookService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookService.class);

    private final SharedIndexInformer<IPAddressPool> pools;
    private final SharedIndexInformer<L2Advertisement> advertisements;
    private final AdmissionWebhookServer server;

    private WebhookService(SharedIndexInformer<IPAddressPool> pools, SharedIndexInformer<L2Advertisement> advertisements,
            AdmissionWebhookServer server) {
        this.pools = pools;
        this.advertisements = advertisements;
        this.server = server;
    }

    /** Starts the informers, waits (bounded) for their first list, then serves HTTPS. */
    public static WebhookService start(KubernetesClient client, String namespace, InetSocketAddress listen,
            File certificate, File key) throws IOException {
        SharedIndexInformer<IPAddressPool> pools = client.resources(IPAddressPool.class).inNamespace(namespace).runnableInformer(0);
        SharedIndexInformer<L2Advertisement> advertisements =
                client.resources(L2Advertisement.class).inNamespace(namespace).runnableInformer(0);
        try {
            pools.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            advertisements.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            AdmissionWebhookServer server = AdmissionWebhookServer.start(listen, certificate, key,
                    CurrentConfigObjects.of(pools.getStore(), advertisements.getStore()));
            log.info("admission webhook serving https on port {} for namespace {}", server.port(), namespace);
            return new WebhookService(pools, advertisements, server);
        } catch (IOException | RuntimeException e) {
            pools.close();
            advertisements.close();
            throw e;
        } catch (Exception e) {
            pools.close();
            advertisements.close();
            throw new IOException("admission webhook: pools and advertisements could not be listed: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        pools.close();
        advertisements.close();
    }
}
