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

import dev.ferrite.controller.statusview.StatusReport.FamilyCount;
import dev.ferrite.controller.statusview.StatusReport.Options;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableRendererTest {

    static StatusReport cluster(Options options) {
        return StatusReport.build(new ClusterObjects(
                List.of(service("default", "web", Duration.ofMinutes(5), "lab", "198.18.0.200"),
                        service("default", "web-udp", Duration.ofHours(3), "lab", "198.18.0.200"),
                        service("shop", "api", Duration.ofDays(2), "dual", "198.18.0.201", "2001:db8::c9"),
                        service("shop", "quiet", Duration.ofSeconds(40), "lab", "198.18.0.202"),
                        service("shop", "db", Duration.ofMinutes(12), null),
                        withClass(service("edge", "cloud", Duration.ofDays(400), null), "example.com/other-lb")),
                List.of(announced("default", "web", "node-1"), announced("default", "web-udp", "node-1"),
                        announced("shop", "api", "node-2")),
                List.of(pool("lab", 3L, 7L, 0L, 0L), pool("dual", 1L, 9L, 1L, Long.MAX_VALUE),
                        invalidPool("broken", "spec.addresses[0]: \"198.18.0.0/33\" is not a CIDR or range")),
                List.of(advertisement("l2", null)),
                List.of(event("shop", "db", "AllocationFailed", "Failed to allocate IP for shop/db: pool lab is full",
                        Duration.ofMinutes(2)))), options, NOW);
    }

    @Test
    void tableHasAlignedSectionsLikeKubectl() {
        assertEquals("""
                SERVICES
                SERVICE           IPS                         POOL   NODE     AGE
                default/web       198.18.0.200                lab    node-1   5m
                default/web-udp   198.18.0.200                lab    node-1   3h
                shop/api          198.18.0.201,2001:db8::c9   dual   node-2   2d
                shop/quiet        198.18.0.202                lab    <none>   40s

                POOLS
                NAME     IPV4 USED/TOTAL   IPV6 USED/TOTAL   VALID   AGE
                broken   -                 -                 False   2d
                dual     1/10              1/>=9.2e18        True    2d
                lab      3/10              -                 True    2d

                PENDING
                SERVICE   AGE   REASON
                shop/db   12m   Failed to allocate IP for shop/db: pool lab is full

                INVALID
                KIND            NAME     ERROR
                IPAddressPool   broken   spec.addresses[0]: "198.18.0.0/33" is not a CIDR or range
                """, TableRenderer.render(cluster(Options.DEFAULT)));
    }

    @Test
    void otherClassesGetAClassColumnSayingTheyAreNotFerrites() {
        String table = TableRenderer.render(cluster(new Options(Optional.empty(), true, Optional.empty())));
        String header = table.lines().filter(l -> l.startsWith("SERVICE ")).findFirst().orElseThrow();
        assertTrue(header.endsWith("AGE   CLASS"), header);
        String cloud = table.lines().filter(l -> l.startsWith("edge/cloud")).findFirst().orElseThrow();
        assertTrue(cloud.contains("<pending>"), cloud);
        assertTrue(cloud.matches("edge/cloud +<pending> +<none> +<none> +1y +example.com/other-lb \\(not ferrite\\)"), cloud);
        String web = table.lines().filter(l -> l.startsWith("default/web ")).findFirst().orElseThrow();
        assertTrue(web.endsWith("<none>"), "a Ferrite Service of no class shows <none> as class: " + web);
    }

    @Test
    void ipsInAFlowHandoffWindowAreListedWithTheirPreviousOwnerAndEnd() {
        var st = announced("default", "web", "node-2");
        st.getStatus().setHandoffs(List.of(new dev.ferrite.api.v1beta1.HandoffInfo("198.18.0.200", "node-1",
                "2026-12-01T20:05:00Z")));
        StatusReport report = StatusReport.build(new ClusterObjects(
                List.of(service("default", "web", Duration.ofMinutes(5), "lab", "198.18.0.200")), List.of(st), List.of(),
                List.of(), List.of()), Options.DEFAULT, NOW);
        String table = TableRenderer.render(report);
        assertTrue(table.endsWith("""
                HANDOFF
                SERVICE       IP             NODE     FROM     UNTIL
                default/web   198.18.0.200   node-2   node-1   2026-12-01T20:05:00Z
                """), table);
        String json = StructuredRenderer.json(report);
        assertTrue(json.contains("\"fromNode\" : \"node-1\""), json);
    }

    @Test
    void emptySectionsSayNone() {
        String table = TableRenderer.render(StatusReport.build(
                new ClusterObjects(List.of(), List.of(), List.of(), List.of(), List.of()), Options.DEFAULT, NOW));
        assertEquals("SERVICES\n(none)\n\nPOOLS\n(none)\n\nPENDING\n(none)\n\nINVALID\n(none)\n", table);
    }

    @Test
    void pendingWithoutEventPointsAtTheController() {
        String table = TableRenderer.render(StatusReport.build(new ClusterObjects(
                List.of(service("default", "db", Duration.ofMinutes(1), null)), List.of(), List.of(), List.of(), List.of()),
                Options.DEFAULT, NOW));
        assertTrue(table.contains("default/db   1m    no AllocationFailed event found (is the controller running?"), table);
        assertFalse(table.contains("SERVICE   IPS"), "the pending Service is not listed as served:\n" + table);
    }

    @ParameterizedTest(name = "{0} used of {0}+{1} reads {2}")
    @CsvSource({"0, 0, -", "0, 254, 0/254", "254, 0, 254/254", "1, 9223372036854775807, 1/>=9.2e18",
        "9223372036854775807, 0, 9223372036854775807/>=9.2e18"})
    void countsReadAsUsedOverTotal(long used, long available, String expected) {
        assertEquals(expected, TableRenderer.count(Optional.of(new FamilyCount(used, available))));
    }
}
