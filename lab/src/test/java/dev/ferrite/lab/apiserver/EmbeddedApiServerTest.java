package dev.ferrite.lab.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.api.v1beta1.ServiceL2StatusStatus;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedApiServerTest {

    @Test
    void servesFerriteResourcesAndServiceStatusThroughTheWrittenKubeconfig(@TempDir Path dir) throws Exception {
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            String url = server.start(InetAddress.getLoopbackAddress(), 0);
            Path file = Kubeconfig.write(dir.resolve("kubeconfig"), url, "default");
            Config config = Config.fromKubeconfig(Files.readString(file));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                IPAddressPool pool = new IPAddressPool();
                pool.setMetadata(new ObjectMetaBuilder().withName("lab").withNamespace("ferrite-system").build());
                IPAddressPoolSpec spec = new IPAddressPoolSpec();
                spec.setAddresses(List.of("198.18.0.200-198.18.0.250"));
                pool.setSpec(spec);
                client.resources(IPAddressPool.class).inNamespace("ferrite-system").resource(pool).create();
                assertEquals(List.of("198.18.0.200-198.18.0.250"),
                        client.resources(IPAddressPool.class).inNamespace("ferrite-system").withName("lab").get().getSpec().getAddresses());

                Service svc = client.services().resource(new ServiceBuilder()
                        .withNewMetadata().withName("web").withNamespace("default").endMetadata()
                        .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec()
                        .build()).create();
                svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                        .withIngress(new LoadBalancerIngressBuilder().withIp("198.18.0.200").build()).endLoadBalancer().build());
                client.services().resource(svc).updateStatus();
                assertEquals("198.18.0.200",
                        client.services().inNamespace("default").withName("web").get().getStatus().getLoadBalancer().getIngress().get(0).getIp());

                ServiceL2Status l2 = new ServiceL2Status();
                l2.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("default").build());
                l2 = client.resources(ServiceL2Status.class).resource(l2).create();
                ServiceL2StatusStatus st = new ServiceL2StatusStatus();
                st.setNode("node-2");
                l2.setStatus(st);
                client.resources(ServiceL2Status.class).resource(l2).updateStatus();
                assertEquals("node-2", client.resources(ServiceL2Status.class).inNamespace("default").withName("web").get().getStatus().getNode());
            }
        }
    }

    @Test
    void aClientInAnotherNamespaceReachesTheServerThroughTheUnixSocketRelay(@TempDir Path dir) throws Exception {
        try (EmbeddedApiServer server = new EmbeddedApiServer()) {
            String url = server.start(InetAddress.getLoopbackAddress(), 0);
            java.net.URI uri = java.net.URI.create(url);
            Path socket = dir.resolve("api.sock");
            try (SocketRelay serverSide = SocketRelay.fromUnixSocket(socket,
                         new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), uri.getPort()));
                 SocketRelay drillSide = SocketRelay.toUnixSocket(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket)) {
                int port = ((java.net.InetSocketAddress) drillSide.localAddress()).getPort();
                Config config = Config.fromKubeconfig(Kubeconfig.text("http://127.0.0.1:" + port, "default"));
                try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                            .withNewMetadata().withName("ferrite-system").endMetadata().build()).create();
                    assertEquals("ferrite-system", client.namespaces().withName("ferrite-system").get().getMetadata().getName());
                }
            }
        }
    }

    @Test
    void kubeconfigUsesBracketsForIpv6Servers() throws Exception {
        String url = EmbeddedApiServer.url(InetAddress.getByName("2001:db8::2"), 6443);
        assertEquals("http://[2001:db8:0:0:0:0:0:2]:6443", url);
        assertTrue(Kubeconfig.text(url, "default").contains("server: " + url));
    }

    @Test
    void kubeconfigCarriesATokenSoClientsDoNotRereadIt() {
        // fabric8 reads a token-less kubeconfig again before every request once a minute has passed
        Config config = Config.fromKubeconfig(Kubeconfig.text("http://198.18.0.2:6443", "default"));
        assertEquals(Kubeconfig.TOKEN, config.getAutoOAuthToken());
        assertEquals("default", config.getNamespace());
    }
}
