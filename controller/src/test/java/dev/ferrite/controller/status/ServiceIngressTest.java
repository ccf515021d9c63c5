package dev.ferrite.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.net.IpAddress;
import dev.ferrite.controller.allocation.AllocationResult.Allocated;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceIngressTest {

    private static Service service(String ip, String ipMode, String pool) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata();
        if (pool != null) {
            b.editMetadata().addToAnnotations(Annotations.IP_ALLOCATED_FROM_POOL, pool).endMetadata();
        }
        if (ip != null) {
            b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).withIpMode(ipMode).endIngress()
                    .endLoadBalancer().endStatus();
        }
        return b.build();
    }

    private static final Optional<Allocated> LAB_200 =
            Optional.of(new Allocated("lab", List.of(IpAddress.parse("198.18.0.200").orElseThrow())));
    private static final Optional<Allocated> NONE = Optional.empty();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("shows exactly the assignment", service("198.18.0.200", "VIP", "lab"), LAB_200, true),
                Arguments.of("other address", service("198.18.0.201", "VIP", "lab"), LAB_200, false),
                Arguments.of("ipMode missing", service("198.18.0.200", null, "lab"), LAB_200, false),
                Arguments.of("ipMode Proxy", service("198.18.0.200", "Proxy", "lab"), LAB_200, false),
                Arguments.of("annotation missing", service("198.18.0.200", "VIP", null), LAB_200, false),
                Arguments.of("annotation names another pool", service("198.18.0.200", "VIP", "other"), LAB_200, false),
                Arguments.of("nothing yet", service(null, null, null), LAB_200, false),
                Arguments.of("cleared service needs nothing", service(null, null, null), NONE, true),
                Arguments.of("clearing an allocated service", service("198.18.0.200", "VIP", "lab"), NONE, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesOnlyWhenTheServiceDiffersFromTheAssignment(String name, Service s, Optional<Allocated> a, boolean matches) {
        assertEquals(matches, ServiceIngress.shows(s, a));
    }

    @Test
    void addressesAreParsedInStatusOrderSkippingHostnamesAndUnreadableText() {
        Service s = new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata()
                .withNewStatus().withNewLoadBalancer()
                .addNewIngress().withIp("2001:db8::ca").withIpMode("VIP").endIngress()
                .addNewIngress().withHostname("lb.example.com").endIngress()
                .addNewIngress().withIp("not-an-address").endIngress()
                .addNewIngress().withIp("198.18.0.202").withIpMode("VIP").endIngress()
                .endLoadBalancer().endStatus().build();

        assertEquals(List.of("2001:db8::ca", "198.18.0.202"),
                ServiceIngress.addresses(s).stream().map(IpAddress::toString).toList());
    }
}
