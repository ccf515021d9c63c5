package dev.ferrite.lab.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ferrite.api.net.IpAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

    static Service service(String ns, String name, String ip, String portName) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy("Cluster")
                .addNewPort().withName(portName).withProtocol("TCP").withPort(80).endPort().endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).endIngress().endLoadBalancer().endStatus()
                .build();
    }

    static EndpointSlice slice(String ns, String service, String sliceName, String portName, int port, Boolean ready, String... addresses) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(sliceName)
                .addToLabels(ClusterView.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(addresses).withNodeName("node1").withNewConditions().withReady(ready).endConditions().endEndpoint()
                .addNewPort().withName(portName).withPort(port).endPort()
                .build();
    }

    static List<String> endpoints(ProxyService s) {
        return s.endpoints().stream().map(e -> e.address() + ":" + e.port() + (e.ready() ? "" : " not ready")).toList();
    }

    @Test
    void eachServiceGetsTheEndpointsOfItsOwnSlicesOnly() {
        List<ProxyService> view = ClusterView.services(
                List.of(service("default", "web", "198.18.0.200", "http"), service("other", "web", "198.18.0.201", "http"),
                        service("default", "api", "198.18.0.202", "http")),
                List.of(slice("default", "web", "web-a", "http", 8080, true, "198.19.1.11"),
                        slice("default", "web", "web-b", "http", 8080, null, "198.19.2.11"),
                        slice("other", "web", "web-a", "http", 8081, false, "198.19.1.12"),
                        slice("default", "api", "api-a", "grpc", 9090, true, "198.19.1.13")));
        assertEquals(3, view.size());
        assertEquals(List.of("198.19.1.11:8080", "198.19.2.11:8080"), endpoints(view.get(0)), "both slices of default/web; absent ready counts as ready");
        assertEquals(IpAddress.parse("198.18.0.200").orElseThrow(), view.get(0).ip());
        assertEquals(List.of("198.19.1.12:8081 not ready"), endpoints(view.get(1)), "the slice of other/web, not default/web's");
        assertEquals(List.of(), endpoints(view.get(2)), "default/api's slice names another port");
    }

    @Test
    void manyServicesEachKeepTheirOwnEndpoints() {
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            services.add(service("default", "s" + i, "198.18.4." + (i % 250 + 1), "http"));
            slices.add(slice("default", "s" + i, "s" + i + "-x", "http", 80, true, "198.19." + (i / 250 + 1) + "." + (i % 250 + 1)));
        }
        List<ProxyService> view = ClusterView.services(services, slices);
        assertEquals(500, view.size());
        for (int i = 0; i < 500; i++) {
            assertEquals("s" + i, view.get(i).name());
            assertEquals(List.of("198.19." + (i / 250 + 1) + "." + (i % 250 + 1) + ":80"), endpoints(view.get(i)));
        }
    }

    @Test
    void aReaderReadsAgainWhatChangedAndOnlyThat() {
        ClusterView.Reader reader = new ClusterView.Reader();
        Service web = service("default", "web", "198.18.0.200", "http");
        Service api = service("default", "api", "198.18.0.201", "http");
        EndpointSlice webSlice = slice("default", "web", "web-a", "http", 8080, true, "198.19.1.11");
        EndpointSlice apiSlice = slice("default", "api", "api-a", "http", 8080, true, "198.19.1.12");
        List<ProxyService> first = reader.services(List.of(web, api), List.of(webSlice, apiSlice));
        List<ProxyService> again = reader.services(List.of(web, api), List.of(webSlice, apiSlice));
        assertEquals(first, again);
        assertSame(first.get(0), again.get(0), "an unchanged Service with unchanged slices is not read again");

        // the store replaces an object when it changes: a new Service object, a new slice object
        Service webMoved = service("default", "web", "198.18.0.210", "http");
        EndpointSlice apiScaled = slice("default", "api", "api-a", "http", 8080, true, "198.19.1.12", "198.19.2.12");
        List<ProxyService> changed = reader.services(List.of(webMoved, api), List.of(webSlice, apiScaled));
        assertEquals(ClusterView.services(List.of(webMoved, api), List.of(webSlice, apiScaled)), changed,
                "the same as reading everything anew");
        assertEquals(IpAddress.parse("198.18.0.210").orElseThrow(), changed.get(0).ip());
        assertEquals(List.of("198.19.1.12:8080", "198.19.2.12:8080"), endpoints(changed.get(1)));

        // a slice gone
        assertEquals(List.of(), endpoints(reader.services(List.of(webMoved, api), List.of(webSlice)).get(1)));
        // a Service gone, and one that is not a LoadBalancer
        Service plain = new ServiceBuilder(api).editSpec().withType("ClusterIP").endSpec().build();
        assertEquals(List.of(), reader.services(List.of(plain), List.of(webSlice, apiScaled)));
    }
}
