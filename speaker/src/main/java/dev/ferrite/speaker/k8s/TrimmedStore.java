package dev.ferrite.speaker.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceSpecBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditionsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An informer's store that keeps of each object only what {@link ObjectViews} reads: a
 * speaker runs on every node and caches every Service, EndpointSlice and Node of the
 * cluster, most of whose bytes (managed fields, annotations, ports, endpoint addresses, a
 * Node's images and system info) no election ever looks at. Objects are trimmed once, when
 * the informer stores them; the event handlers still see the full new object, and the old
 * one trimmed, which is enough because they compare views.
 */
final class TrimmedStore<T extends HasMetadata> extends BasicItemStore<T> {

    private final UnaryOperator<T> trim;

    private TrimmedStore(UnaryOperator<T> trim) {
        super(Cache::metaNamespaceKeyFunc);
        this.trim = trim;
    }

    static TrimmedStore<Service> services() {
        return new TrimmedStore<>(TrimmedStore::service);
    }

    static TrimmedStore<EndpointSlice> endpointSlices() {
        return new TrimmedStore<>(TrimmedStore::endpointSlice);
    }

    static TrimmedStore<Node> nodes() {
        return new TrimmedStore<>(TrimmedStore::node);
    }

    @Override
    public T put(String key, T obj) {
        return super.put(key, trim.apply(obj));
    }

    /**
     * Identity (name, namespace, uid, resourceVersion) and the given labels; no annotations,
     * owner references or managed fields.
     */
    private static ObjectMeta meta(ObjectMeta m, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
                .withResourceVersion(m.getResourceVersion()).withLabels(labels).build();
    }

    /** Type, class and traffic policy, labels (advertisements select by them) and ingress IPs, of LoadBalancers only. */
    static Service service(Service s) {
        ServiceSpec spec = s.getSpec();
        boolean loadBalancer = spec != null && "LoadBalancer".equals(spec.getType());
        ServiceBuilder b = new ServiceBuilder().withMetadata(meta(s.getMetadata(),
                loadBalancer ? s.getMetadata().getLabels() : null));
        if (spec == null) {
            return b.build();
        }
        ServiceSpecBuilder trimmed = new ServiceSpecBuilder().withType(spec.getType());
        if (loadBalancer) {
            trimmed.withLoadBalancerClass(spec.getLoadBalancerClass()).withExternalTrafficPolicy(spec.getExternalTrafficPolicy());
        }
        b.withSpec(trimmed.build());
        if (loadBalancer && s.getStatus() != null && s.getStatus().getLoadBalancer() != null
                && s.getStatus().getLoadBalancer().getIngress() != null) {
            List<LoadBalancerIngress> ingress = new ArrayList<>();
            for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
                ingress.add(new LoadBalancerIngressBuilder().withIp(i.getIp()).build());
            }
            b.withNewStatus().withNewLoadBalancer().withIngress(ingress).endLoadBalancer().endStatus();
        }
        return b.build();
    }

    /** The Service it belongs to, and each endpoint's node and readiness. */
    static EndpointSlice endpointSlice(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(ObjectViews.SERVICE_NAME_LABEL);
        EndpointSliceBuilder b = new EndpointSliceBuilder().withMetadata(meta(slice.getMetadata(),
                service == null ? null : Map.of(ObjectViews.SERVICE_NAME_LABEL, service)));
        if (slice.getEndpoints() != null) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (Endpoint e : slice.getEndpoints()) {
                EndpointBuilder eb = new EndpointBuilder().withNodeName(e.getNodeName());
                if (e.getConditions() != null) {
                    eb.withConditions(new EndpointConditionsBuilder().withReady(e.getConditions().getReady()).build());
                }
                endpoints.add(eb.build());
            }
            b.withEndpoints(endpoints);
        }
        return b.build();
    }

    /** Labels (advertisements select nodes by them), InternalIPs and the NetworkUnavailable condition. */
    static Node node(Node n) {
        NodeBuilder b = new NodeBuilder().withMetadata(meta(n.getMetadata(), n.getMetadata().getLabels()));
        if (n.getStatus() == null) {
            return b.build();
        }
        NodeStatusBuilder status = new NodeStatusBuilder();
        if (n.getStatus().getAddresses() != null) {
            for (NodeAddress a : n.getStatus().getAddresses()) {
                if ("InternalIP".equals(a.getType())) {
                    status.addNewAddress().withType(a.getType()).withAddress(a.getAddress()).endAddress();
                }
            }
        }
        if (n.getStatus().getConditions() != null) {
            for (NodeCondition c : n.getStatus().getConditions()) {
                if ("NetworkUnavailable".equals(c.getType())) {
                    status.addToConditions(new NodeConditionBuilder().withType(c.getType()).withStatus(c.getStatus()).build());
                }
            }
        }
        return b.withStatus(status.build()).build();
    }
}
