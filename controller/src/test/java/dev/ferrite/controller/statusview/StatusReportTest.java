package dev.ferrite.controller.statusview;

import static dev.ferrite.controller.statusview.StatusFixtures.NOW;
import static dev.ferrite.controller.statusview.StatusFixtures.advertisement;
import static dev.ferrite.controller.statusview.StatusFixtures.announced;
import static dev.ferrite.controller.statusview.StatusFixtures.event;
import static dev.ferrite.controller.statusview.StatusFixtures.invalidPool;
import static dev.ferrite.controller.statusview.StatusFixtures.pool;
import static dev.ferrite.controller.statusview.StatusFixtures.service;
import static dev.ferrite.controller.statusview.StatusFixtures.withClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.ServiceL2Status;
import dev.ferrite.controller.statusview.StatusReport.FamilyCount;
import dev.ferrite.controller.statusview.StatusReport.InvalidRow;
import dev.ferrite.controller.statusview.StatusReport.Options;
import dev.ferrite.controller.statusview.StatusReport.PendingRow;
import dev.ferrite.controller.statusview.StatusReport.PoolRow;
import dev.ferrite.controller.statusview.StatusReport.ServiceRow;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusReportTest {

    private static StatusReport report(List<Service> services, List<ServiceL2Status> l2, List<IPAddressPool> pools,
            List<L2Advertisement> ads, List<Event> events, Options options) {
        return StatusReport.build(new ClusterObjects(services, l2, pools, ads, events), options, NOW);
    }

    private static StatusReport services(List<Service> services, List<ServiceL2Status> l2) {
        return report(services, l2, List.of(), List.of(), List.of(), Options.DEFAULT);
    }

    /** What the operator reads in a Service's row: addresses, pool, announcing nodes. */
    record Expected(String key, List<String> ips, Optional<String> pool, List<String> nodes) {
    }

    static Stream<Arguments> serviceRows() {
        Duration fiveMin = Duration.ofMinutes(5);
        return Stream.of(
                Arguments.of("allocated and announced",
                        List.of(service("default", "web", fiveMin, "lab", "198.18.0.200")),
                        List.of(announced("default", "web", "node-1")),
                        List.of(new Expected("default/web", List.of("198.18.0.200"), Optional.of("lab"), List.of("node-1")))),
                Arguments.of("shared IP: both Services, same address, same node",
                        List.of(service("default", "dns-tcp", fiveMin, "lab", "198.18.0.201"),
                                service("default", "dns-udp", fiveMin, "lab", "198.18.0.201")),
                        List.of(announced("default", "dns-tcp", "node-2"), announced("default", "dns-udp", "node-2")),
                        List.of(new Expected("default/dns-tcp", List.of("198.18.0.201"), Optional.of("lab"), List.of("node-2")),
                                new Expected("default/dns-udp", List.of("198.18.0.201"), Optional.of("lab"), List.of("node-2")))),
                Arguments.of("dual stack keeps both addresses in status order",
                        List.of(service("shop", "api", fiveMin, "dual", "198.18.0.202", "2001:db8::ca")),
                        List.of(announced("shop", "api", "node-3")),
                        List.of(new Expected("shop/api", List.of("198.18.0.202", "2001:db8::ca"), Optional.of("dual"),
                                List.of("node-3")))),
                Arguments.of("allocated but no speaker announces it",
                        List.of(service("default", "web", fiveMin, "lab", "198.18.0.200")),
                        List.of(announced("default", "other", "node-1")),
                        List.of(new Expected("default/web", List.of("198.18.0.200"), Optional.of("lab"), List.of()))),
                Arguments.of("during a handover both reporting nodes are shown",
                        List.of(service("default", "web", fiveMin, "lab", "198.18.0.200")),
                        List.of(announced("default", "web", "node-2"), announced("default", "web", "node-1")),
                        List.of(new Expected("default/web", List.of("198.18.0.200"), Optional.of("lab"),
                                List.of("node-1", "node-2")))),
                Arguments.of("rows sorted by namespace then name; non-LoadBalancer Services left out",
                        List.of(service("b", "x", fiveMin, null, "198.18.0.3"), service("a", "y", fiveMin, null, "198.18.0.4"),
                                new io.fabric8.kubernetes.api.model.ServiceBuilder(service("a", "cluster-ip", fiveMin, null))
                                        .editSpec().withType("ClusterIP").endSpec().build()),
                        List.of(),
                        List.of(new Expected("a/y", List.of("198.18.0.4"), Optional.empty(), List.of()),
                                new Expected("b/x", List.of("198.18.0.3"), Optional.empty(), List.of()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceRows")
    void serviceRowsShowAddressesPoolAndAnnouncingNode(String name, List<Service> services, List<ServiceL2Status> l2,
            List<Expected> expected) {
        List<Expected> actual = services(services, l2).services().stream()
                .map(r -> new Expected(r.key(), r.ips().stream().map(Object::toString).toList(), r.pool(), r.nodes()))
                .toList();
        assertEquals(expected, actual);
    }

    @Test
    void pendingServiceShowsTheNewestAllocationFailedMessage() {
        StatusReport r = report(List.of(service("default", "db", Duration.ofHours(3), null)), List.of(), List.of(),
                List.of(), List.of(
                        event("default", "db", "AllocationFailed", "Failed to allocate IP for default/db: pool lab is full",
                                Duration.ofMinutes(1)),
                        event("default", "db", "AllocationFailed", "Failed to allocate IP for default/db: no pool",
                                Duration.ofMinutes(30)),
                        event("default", "db", "DeprecatedAnnotation", "use ferrite.dev/address-pool", Duration.ZERO)),
                Options.DEFAULT);
        assertTrue(r.services().isEmpty(), "a Service without an address is not listed as served");
        PendingRow p = r.pending().get(0);
        assertEquals("default/db", p.key());
        assertEquals(Optional.of("Failed to allocate IP for default/db: pool lab is full"), p.reason());
        assertEquals(Optional.of(NOW.minus(Duration.ofMinutes(1))), p.reasonAt());
        assertEquals(Optional.of(NOW.minus(Duration.ofHours(3))), p.created());
    }

    @Test
    void aForeignClaimOnAServiceIsListedWithTheSpeakersMessage() {
        StatusReport r = report(List.of(), List.of(), List.of(), List.of(), List.of(
                event("default", "web", "ForeignClaim", "IP 198.18.0.200 is also claimed by 02:00:00:00:00:99",
                        Duration.ofSeconds(30))), Options.DEFAULT);
        assertEquals(1, r.foreignClaims().size());
        assertEquals("default/web", r.foreignClaims().get(0).key());
        assertTrue(r.foreignClaims().get(0).message().contains("02:00:00:00:00:99"));
        assertTrue(TableRenderer.render(r).contains("FOREIGN CLAIMS"), TableRenderer.render(r));
    }

    @Test
    void anAddressInUseOutsideTheClusterIsListedFromThePoolsStatus() {
        IPAddressPool lab = pool("lab", 1L, 8L, null, null);
        lab.getStatus().setAddressesInUse(List.of(new dev.ferrite.api.v1beta1.AddressInUseInfo("198.18.0.210",
                "02:00:00:00:00:99 answered the probe of node node-1 (ARP reply on eth0) at 2026-12-01T23:00:00Z")));
        StatusReport r = report(List.of(), List.of(), List.of(lab), List.of(), List.of(), Options.DEFAULT);
        assertEquals(List.of(new StatusReport.InUseRow("lab", "198.18.0.210",
                "02:00:00:00:00:99 answered the probe of node node-1 (ARP reply on eth0) at 2026-12-01T23:00:00Z")),
                r.addressesInUse());
        String table = TableRenderer.render(r);
        assertTrue(table.contains("ADDRESSES IN USE") && table.contains("198.18.0.210"), table);
        assertTrue(StructuredRenderer.json(r).contains("\"addressesInUse\""), StructuredRenderer.json(r));
    }

    @Test
    void pendingServiceWithoutEventHasNoReason() {
        StatusReport r = services(List.of(service("default", "db", Duration.ofMinutes(2), null)), List.of());
        assertEquals(1, r.pending().size());
        assertEquals(Optional.empty(), r.pending().get(0).reason());
    }

    @Test
    void eventOfAnEarlierServiceWithTheSameNameIsNotItsReason() {
        Event old = event("default", "db", "AllocationFailed", "Failed to allocate IP for default/db: old problem",
                Duration.ofMinutes(50));
        old.getInvolvedObject().setUid("uid-of-a-deleted-service");
        StatusReport r = report(List.of(service("default", "db", Duration.ofMinutes(1), null)), List.of(), List.of(),
                List.of(), List.of(old), Options.DEFAULT);
        assertEquals(Optional.empty(), r.pending().get(0).reason());
    }

    @Test
    void poolCountsPerFamilyWithSaturatedIpv6Total() {
        StatusReport r = report(List.of(), List.of(),
                List.of(pool("v6", 0L, 0L, 3L, Long.MAX_VALUE), pool("v4", 10L, 0L, 0L, 0L), pool("new", null, null, null, null)),
                List.of(), List.of(), Options.DEFAULT);
        assertEquals(List.of("new", "v4", "v6"), r.pools().stream().map(PoolRow::name).toList());
        PoolRow v6 = r.pools().get(2);
        FamilyCount c = v6.ipv6().orElseThrow();
        assertEquals(3, c.used());
        assertEquals(Long.MAX_VALUE, c.total());
        assertTrue(c.saturated());
        FamilyCount full = r.pools().get(1).ipv4().orElseThrow();
        assertEquals(10, full.total());
        assertFalse(full.saturated());
        assertEquals(Optional.empty(), r.pools().get(0).ipv4(), "counts not yet written are unknown, not zero");
    }

    @Test
    void invalidPoolsAndAdvertisementsCarryTheirError() {
        StatusReport r = report(List.of(), List.of(),
                List.of(invalidPool("bad", "spec.addresses[0]: \"198.18.0.0/33\" is not a CIDR or range"),
                        pool("good", 0L, 10L, 0L, 0L)),
                List.of(advertisement("l2", null), advertisement("l2-typo", "spec.ipAddressPools[0]: no IPAddressPool \"lba\"")),
                List.of(), Options.DEFAULT);
        assertEquals(List.of(
                new InvalidRow("IPAddressPool", "bad", "spec.addresses[0]: \"198.18.0.0/33\" is not a CIDR or range",
                        Optional.of(NOW.minus(Duration.ofMinutes(7)))),
                new InvalidRow("L2Advertisement", "l2-typo", "spec.ipAddressPools[0]: no IPAddressPool \"lba\"",
                        Optional.empty())), r.invalid());
        assertEquals(List.of(false, true), r.pools().stream().map(PoolRow::valid).toList());
    }

    @Test
    void servicesOfAnotherClassAreListedOnlyWithAllClassesAndMarked() {
        List<Service> svcs = List.of(service("default", "web", Duration.ofMinutes(1), "lab", "198.18.0.200"),
                withClass(service("default", "cloud", Duration.ofMinutes(1), null), "example.com/other-lb"));
        StatusReport hidden = services(svcs, List.of());
        assertEquals(List.of("default/web"), hidden.services().stream().map(ServiceRow::key).toList());
        assertTrue(hidden.pending().isEmpty(), "another load balancer's unassigned Service is not Ferrite's pending work");

        StatusReport all = report(svcs, List.of(), List.of(), List.of(), List.of(),
                new Options(Optional.empty(), true, Optional.empty()));
        assertEquals(List.of("default/cloud", "default/web"), all.services().stream().map(ServiceRow::key).toList());
        assertFalse(all.services().get(0).ferrite());
        assertEquals(Optional.of("example.com/other-lb"), all.services().get(0).loadBalancerClass());
        assertTrue(all.services().get(1).ferrite());
    }

    @Test
    void aConfiguredClassMakesClasslessServicesForeign() {
        List<Service> svcs = List.of(service("default", "plain", Duration.ofMinutes(1), null, "198.18.0.9"),
                withClass(service("default", "mine", Duration.ofMinutes(1), "lab", "198.18.0.10"), "ferrite.dev/lb"));
        StatusReport r = report(svcs, List.of(), List.of(), List.of(), List.of(),
                new Options(Optional.of("ferrite.dev/lb"), false, Optional.empty()));
        assertEquals(List.of("default/mine"), r.services().stream().map(ServiceRow::key).toList());
    }

    @Test
    void serviceNamespaceFilterAppliesToServedAndPending() {
        List<Service> svcs = List.of(service("default", "web", Duration.ofMinutes(1), "lab", "198.18.0.200"),
                service("shop", "api", Duration.ofMinutes(1), "lab", "198.18.0.201"),
                service("shop", "db", Duration.ofMinutes(1), null), service("default", "db", Duration.ofMinutes(1), null));
        StatusReport r = report(svcs, List.of(), List.of(), List.of(), List.of(),
                new Options(Optional.empty(), false, Optional.of("shop")));
        assertEquals(List.of("shop/api"), r.services().stream().map(ServiceRow::key).toList());
        assertEquals(List.of("shop/db"), r.pending().stream().map(PendingRow::key).toList());
    }

    @Test
    void reportIsTheSameForTheSameObjectsAndTime() {
        List<Service> svcs = List.of(service("default", "web", Duration.ofMinutes(1), "lab", "198.18.0.200"));
        assertEquals(services(svcs, List.of()), services(svcs, List.of()));
        assertEquals(Instant.parse("2026-11-23T12:00:00Z"), services(svcs, List.of()).generatedAt());
    }
}
