package dev.ferrite.controller.allocation.k8s;

import static dev.ferrite.controller.allocation.Fixtures.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpFamily;
import dev.ferrite.controller.allocation.ParsedService;
import dev.ferrite.controller.allocation.ParsedService.AliasUse;
import dev.ferrite.controller.allocation.ParsedService.Rejected;
import dev.ferrite.controller.allocation.ServiceRequest;
import dev.ferrite.controller.allocation.ServiceRequest.FamilyPolicy;
import dev.ferrite.controller.allocation.ServiceRequest.Port;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceRequestParserTest {

    private static Service service(Map<String, String> annotations, UnaryOperator<ServiceBuilder> spec) {
        ServiceBuilder b = new ServiceBuilder()
                .withNewMetadata().withNamespace("shop").withName("web")
                .withLabels(Map.of("tier", "edge")).withAnnotations(annotations).endMetadata()
                .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", "web"))
                .addNewPort().withProtocol("TCP").withPort(80).endPort()
                .addNewPort().withProtocol("UDP").withPort(53).endPort()
                .endSpec();
        return spec.apply(b).build();
    }

    private static Service service(Map<String, String> annotations) {
        return service(annotations, b -> b);
    }

    private static ParsedService.Request accepted(ParsedService p) {
        assertInstanceOf(ParsedService.Request.class, p, () -> "expected a request, got " + p);
        return (ParsedService.Request) p;
    }

    private static String rejected(ParsedService p) {
        assertInstanceOf(Rejected.class, p, () -> "expected a rejection, got " + p);
        return ((Rejected) p).reason();
    }

    @Test
    void readsEverythingTheAllocatorNeeds() {
        Service svc = service(Map.of(
                        "ferrite.dev/loadBalancerIPs", "198.18.0.10, 2001:db8::10",
                        "ferrite.dev/address-pool", "lab",
                        "ferrite.dev/allow-shared-ip", "web-shared"),
                b -> b.editSpec().withExternalTrafficPolicy("Local").withIpFamilies("IPv6", "IPv4")
                        .withIpFamilyPolicy("RequireDualStack").withSelector(Map.of("b", "2", "a", "1")).endSpec());
        ParsedService.Request r = accepted(ServiceRequestParser.parse(svc, Map.of("team", "x")));
        ServiceRequest expected = new ServiceRequest("shop/web", "shop", Map.of("tier", "edge"), Map.of("team", "x"),
                ips("198.18.0.10", "2001:db8::10"), Optional.of("lab"), Optional.of("web-shared"), Optional.of("a=1,b=2"),
                Set.of(new Port("TCP", 80), new Port("UDP", 53)), List.of(IpFamily.IPv6, IpFamily.IPv4),
                FamilyPolicy.REQUIRE_DUAL_STACK);
        assertEquals(expected, r.request());
        assertEquals(List.of(), r.aliases());
    }

    @Test
    void aPlainServiceIsSingleStackIpv4WithoutRequests() {
        ServiceRequest r = accepted(ServiceRequestParser.parse(service(Map.of()), Map.of())).request();
        assertEquals(List.of(IpFamily.IPv4), r.families());
        assertEquals(FamilyPolicy.SINGLE_STACK, r.familyPolicy());
        assertEquals(List.of(), r.requestedIps());
        assertEquals(Optional.empty(), r.pool());
        assertEquals(Optional.empty(), r.sharingKey());
        assertEquals(Optional.empty(), r.backendKey(), "Cluster traffic policy needs no backend key");
    }

    @Test
    void takesTheFamilyFromTheClusterIpWhenIpFamiliesIsUnset() {
        Service svc = service(Map.of(), b -> b.editSpec().withClusterIPs("fd00::12", "10.96.0.12").endSpec());
        assertEquals(List.of(IpFamily.IPv6, IpFamily.IPv4),
                accepted(ServiceRequestParser.parse(svc, Map.of())).request().families());
        Service single = service(Map.of(), b -> b.editSpec().withClusterIP("fd00::12").endSpec());
        assertEquals(List.of(IpFamily.IPv6), accepted(ServiceRequestParser.parse(single, Map.of())).request().families());
    }

    @Test
    void readsSpecLoadBalancerIp() {
        Service svc = service(Map.of(), b -> b.editSpec().withLoadBalancerIP("198.18.0.44").endSpec());
        assertEquals(ips("198.18.0.44"), accepted(ServiceRequestParser.parse(svc, Map.of())).request().requestedIps());
    }

    @Test
    void aServiceWithoutSelectorGetsABackendKeyOfItsOwn() {
        Service svc = service(Map.of(), b -> b.editSpec().withSelector(null).withExternalTrafficPolicy("Local").endSpec());
        assertEquals(Optional.of("service shop/web"),
                accepted(ServiceRequestParser.parse(svc, Map.of())).request().backendKey());
    }

    static Stream<Arguments> aliases() {
        return Stream.of(
                Arguments.of(Map.of("metallb.io/address-pool", "lab"),
                        "lab", List.of(new AliasUse("metallb.io/address-pool", "ferrite.dev/address-pool"))),
                Arguments.of(Map.of("metallb.universe.tf/address-pool", "lab"),
                        "lab", List.of(new AliasUse("metallb.universe.tf/address-pool", "ferrite.dev/address-pool"))),
                Arguments.of(Map.of("metallb.io/address-pool", "new", "metallb.universe.tf/address-pool", "old"),
                        "new", List.of(new AliasUse("metallb.io/address-pool", "ferrite.dev/address-pool"))),
                Arguments.of(Map.of("ferrite.dev/address-pool", "mine", "metallb.io/address-pool", "theirs"),
                        "mine", List.of()));
    }

    @ParameterizedTest(name = "{0} gives pool {1}")
    @MethodSource("aliases")
    void readsMetallbAnnotationsAsAliasesAndReportsThem(Map<String, String> annotations, String pool, List<AliasUse> uses) {
        ParsedService.Request r = accepted(ServiceRequestParser.parse(service(annotations), Map.of()));
        assertEquals(Optional.of(pool), r.request().pool());
        assertEquals(uses, r.aliases());
    }

    @Test
    void reportsEveryAliasInUse() {
        ParsedService.Request r = accepted(ServiceRequestParser.parse(service(Map.of(
                "metallb.universe.tf/loadBalancerIPs", "198.18.0.5",
                "metallb.io/allow-shared-ip", "k")), Map.of()));
        assertEquals(ips("198.18.0.5"), r.request().requestedIps());
        assertEquals(Optional.of("k"), r.request().sharingKey());
        assertEquals(Set.of(
                new AliasUse("metallb.universe.tf/loadBalancerIPs", "ferrite.dev/loadBalancerIPs"),
                new AliasUse("metallb.io/allow-shared-ip", "ferrite.dev/allow-shared-ip")), Set.copyOf(r.aliases()));
        assertTrue(r.aliases().get(0).message().contains("ferrite.dev/"));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(Map.of("ferrite.dev/loadBalancerIPs", "198.18.0.300"), (UnaryOperator<ServiceBuilder>) b -> b,
                        "annotation ferrite.dev/loadBalancerIPs \"198.18.0.300\": \"198.18.0.300\" is not an IP address"),
                Arguments.of(Map.of("metallb.io/loadBalancerIPs", "web.example.com"), (UnaryOperator<ServiceBuilder>) b -> b,
                        "annotation metallb.io/loadBalancerIPs \"web.example.com\""),
                Arguments.of(Map.of("ferrite.dev/loadBalancerIPs", "198.18.0.1,198.18.0.2"), (UnaryOperator<ServiceBuilder>) b -> b,
                        "two IPv4 addresses"),
                Arguments.of(Map.of("ferrite.dev/loadBalancerIPs", "198.18.0.1,2001:db8::1,198.18.0.3"),
                        (UnaryOperator<ServiceBuilder>) b -> b, "at most two"),
                Arguments.of(Map.of("ferrite.dev/loadBalancerIPs", "2001:db8::1"), (UnaryOperator<ServiceBuilder>) b -> b,
                        "2001:db8::1 is IPv6 but the Service's IP families are [IPv4]"),
                Arguments.of(Map.of("ferrite.dev/loadBalancerIPs", "198.18.0.1,"), (UnaryOperator<ServiceBuilder>) b -> b,
                        "\"\" is not an IP address"),
                Arguments.of(Map.of("ferrite.dev/loadBalancerIPs", "198.18.0.1"),
                        (UnaryOperator<ServiceBuilder>) b -> b.editSpec().withLoadBalancerIP("198.18.0.2").endSpec(),
                        "spec.loadBalancerIP \"198.18.0.2\" are both set"),
                Arguments.of(Map.of(), (UnaryOperator<ServiceBuilder>) b -> b.editSpec().withLoadBalancerIP("nope").endSpec(),
                        "spec.loadBalancerIP \"nope\""),
                Arguments.of(Map.of(), (UnaryOperator<ServiceBuilder>) b -> b.editSpec().withIpFamilyPolicy("Both").endSpec(),
                        "spec.ipFamilyPolicy \"Both\""));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformed")
    void rejectsMalformedValuesNamingFieldAndValue(Map<String, String> annotations, UnaryOperator<ServiceBuilder> spec, String reasonPart) {
        String reason = rejected(ServiceRequestParser.parse(service(annotations, spec), Map.of()));
        assertTrue(reason.contains(reasonPart), reason);
    }

    static Stream<Arguments> classes() {
        return Stream.of(
                Arguments.of("LoadBalancer", null, Optional.empty(), true),
                Arguments.of("LoadBalancer", "example.com/other", Optional.empty(), false),
                Arguments.of("LoadBalancer", "ferrite.dev/l2", Optional.of("ferrite.dev/l2"), true),
                Arguments.of("LoadBalancer", null, Optional.of("ferrite.dev/l2"), false),
                Arguments.of("LoadBalancer", "example.com/other", Optional.of("ferrite.dev/l2"), false),
                Arguments.of("ClusterIP", null, Optional.empty(), false),
                Arguments.of("NodePort", null, Optional.empty(), false));
    }

    @ParameterizedTest(name = "type {0}, class {1}, configured {2}: served {3}")
    @MethodSource("classes")
    void servesLoadBalancersOfItsClassOnly(String type, String svcClass, Optional<String> configured, boolean served) {
        Service svc = service(Map.of(), b -> b.editSpec().withType(type).withLoadBalancerClass(svcClass).endSpec());
        assertEquals(served, ServiceRequestParser.isLoadBalancer(svc, configured));
    }

    @Test
    void aServiceWithoutSpecIsNotALoadBalancer() {
        Service svc = new ServiceBuilder().withNewMetadata().withNamespace("a").withName("b").endMetadata().build();
        assertFalse(ServiceRequestParser.isLoadBalancer(svc, Optional.empty()));
    }
}
