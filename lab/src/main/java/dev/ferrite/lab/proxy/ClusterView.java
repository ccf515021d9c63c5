package dev.ferrite.lab.proxy;

import dev.ferrite.api.net.IpAddress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns Services and EndpointSlices into what the kube-proxy stand-in programs: one
 * {@link ProxyService} per LoadBalancer ingress IP and TCP port, with the endpoints of the
 * slices labelled with the Service's name whose port name matches. An absent {@code ready}
 * condition counts as ready, as the EndpointSlice API defines it. Pure; a {@link Reader}
 * remembers what it read last, for a caller that reads the cluster again and again.
 */
public final class ClusterView {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ClusterView() {
    }

    public static List<ProxyService> services(List<Service> services, List<EndpointSlice> slices) {
        return new Reader().services(services, slices);
    }

    /**
     * Reads each Service's ports once per version of the Service and of its slices: the
     * stand-in's writer reads the whole cluster at every write, and at 1,000 Services reading
     * every Service's ports and endpoints again at each was most of its own CPU in a burst.
     * The informers' stores replace an object when it changes, so an object seen before (by
     * identity) with the same slices reads the same.
     */
    public static final class Reader {
        private Map<Service, Read> last = new IdentityHashMap<>();

        private record Read(List<EndpointSlice> slices, List<ProxyService> ports) {
        }

        public List<ProxyService> services(List<Service> services, List<EndpointSlice> slices) {
            // each Service's slices by namespace and name: one pass over the slices, not one per Service
            Map<List<String>, List<EndpointSlice>> byService = new HashMap<>();
            for (EndpointSlice slice : slices) {
                Map<String, String> labels = slice.getMetadata().getLabels();
                String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
                if (service != null && slice.getEndpoints() != null) {
                    byService.computeIfAbsent(Arrays.asList(slice.getMetadata().getNamespace(), service), k -> new ArrayList<>()).add(slice);
                }
            }
            Map<Service, Read> read = new IdentityHashMap<>();
            List<ProxyService> out = new ArrayList<>();
            for (Service s : services) {
                List<EndpointSlice> own = byService.getOrDefault(
                        Arrays.asList(s.getMetadata().getNamespace(), s.getMetadata().getName()), List.of());
                Read r = last.get(s);
                if (r == null || !sameObjects(r.slices(), own)) {
                    r = new Read(own, ports(s, own));
                }
                read.put(s, r);
                out.addAll(r.ports());
            }
            last = read;
            return out;
        }

        private static boolean sameObjects(List<EndpointSlice> a, List<EndpointSlice> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** One Service's TCP ports by ingress IP, with the endpoints of its {@code own} slices; none unless it has an ingress IP. */
    private static List<ProxyService> ports(Service s, List<EndpointSlice> own) {
        if (s.getSpec() == null || !"LoadBalancer".equals(s.getSpec().getType()) || s.getStatus() == null
                || s.getStatus().getLoadBalancer() == null || s.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        String ns = s.getMetadata().getNamespace();
        String name = s.getMetadata().getName();
        boolean local = "Local".equals(s.getSpec().getExternalTrafficPolicy());
        List<ProxyService> out = new ArrayList<>();
        for (ServicePort port : s.getSpec().getPorts() == null ? List.<ServicePort>of() : s.getSpec().getPorts()) {
            if (port.getProtocol() != null && !"TCP".equals(port.getProtocol())) {
                continue;
            }
            String portName = port.getName() == null ? "" : port.getName();
            for (LoadBalancerIngress ingress : s.getStatus().getLoadBalancer().getIngress()) {
                IpAddress.parse(ingress.getIp() == null ? "" : ingress.getIp()).ifPresent(ip -> out.add(new ProxyService(
                        ns, name, portName.isEmpty() ? Integer.toString(port.getPort()) : portName, ip, port.getPort(), local,
                        endpoints(portName, ip, own))));
            }
        }
        return out;
    }

    /** The endpoints of one Service's {@code slices} for the port named {@code portName}, of {@code ip}'s family. */
    private static List<ProxyService.Endpoint> endpoints(String portName, IpAddress ip, List<EndpointSlice> slices) {
        List<ProxyService.Endpoint> out = new ArrayList<>();
        for (EndpointSlice slice : slices) {
            Integer target = null;
            for (EndpointPort p : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
                if (Objects.equals(p.getName() == null ? "" : p.getName(), portName)) {
                    target = p.getPort();
                }
            }
            if (target == null) {
                continue;
            }
            for (Endpoint e : slice.getEndpoints()) {
                boolean ready = e.getConditions() == null || e.getConditions().getReady() == null || e.getConditions().getReady();
                for (String a : e.getAddresses() == null ? List.<String>of() : e.getAddresses()) {
                    int port = target;
                    IpAddress.parse(a).filter(x -> x.family() == ip.family()).ifPresent(x ->
                            out.add(new ProxyService.Endpoint(x, port, e.getNodeName() == null ? "" : e.getNodeName(), ready)));
                }
            }
        }
        return out;
    }
}
