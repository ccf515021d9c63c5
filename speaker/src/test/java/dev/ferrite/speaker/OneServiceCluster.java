package dev.ferrite.speaker;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The smallest cluster a single speaker announces in: one Node, pool "lab" in ferrite-system,
 * advertisement "all" for every pool, and LoadBalancer Service default/web already given
 * {@code vip} by the controller.
 */
final class OneServiceCluster {

    private OneServiceCluster() {
    }

    static void create(KubernetesClient client, String node, String poolCidr, String vip) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        IPAddressPool pool = new IPAddressPool();
        pool.setMetadata(new ObjectMetaBuilder().withName("lab").withNamespace("ferrite-system").build());
        IPAddressPoolSpec ps = new IPAddressPoolSpec();
        ps.setAddresses(List.of(poolCidr));
        pool.setSpec(ps);
        client.resources(IPAddressPool.class).inNamespace("ferrite-system").resource(pool).create();
        L2Advertisement ad = new L2Advertisement();
        ad.setMetadata(new ObjectMetaBuilder().withName("all").withNamespace("ferrite-system").build());
        ad.setSpec(new L2AdvertisementSpec());
        client.resources(L2Advertisement.class).inNamespace("ferrite-system").resource(ad).create();
        Service svc = client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("web").withNamespace("default")
                .addToAnnotations(Annotations.IP_ALLOCATED_FROM_POOL, "lab").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build()).create();
        svc.setStatus(new ServiceStatusBuilder().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp(vip).build()).endLoadBalancer().build());
        client.services().inNamespace("default").resource(svc).updateStatus();
    }
}
