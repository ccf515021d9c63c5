package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FlowHandoff against a recording stand-in for nft and ip ({@link RecordingCommands}). */
class FlowHandoffTest {

    @TempDir
    Path dir;

    private static final IpAddress VIP = IpAddress.parse("198.18.0.200").orElseThrow();
    private static final IpAddress VIP6 = IpAddress.parse("2001:db8::200").orElseThrow();
    private static final Map<String, List<IpAddress>> NODES = Map.of(
            "a", List.of(IpAddress.parse("198.18.0.11").orElseThrow(), IpAddress.parse("2001:db8::11").orElseThrow()),
            "b", List.of(IpAddress.parse("198.18.0.12").orElseThrow(), IpAddress.parse("2001:db8::12").orElseThrow()));
    /** {@link #NODES} and a third node, c, with an IPv4 InternalIP. */
    private static final Map<String, List<IpAddress>> WITH_C = Map.of("a", NODES.get("a"), "b", NODES.get("b"),
            "c", List.of(IpAddress.parse("198.18.0.13").orElseThrow()));
    private static final Instant T0 = Instant.parse("2026-12-01T21:00:00Z");

    private FlowHandoff start() throws Exception {
        return start(Clock.fixed(T0, ZoneOffset.UTC));
    }

    private FlowHandoff start(Clock clock) throws Exception {
        FlowHandoff h = FlowHandoff.start("b", HandoffSettings.defaults(), RecordingCommands.in(dir, true), clock);
        assertTrue(h.on(), h.offBecause());
        return h;
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("log"));
    }

    @Test
    void theRouteToTheOwnerIsInPlaceBeforeTheIpMovesHere() throws Exception {
        FlowHandoff h = start();
        h.onOwners(Map.of(VIP, "a"), Map::of, NODES);
        h.settle();
        assertTrue(log().contains("route replace 198.18.0.200/32 via 198.18.0.11 table 7473"), log());
        assertTrue(h.windows().isEmpty(), "no window while another node owns the IP");

        Files.delete(dir.resolve("log"));
        h.onOwners(Map.of(VIP, "b"), Map::of, NODES);
        assertEquals(1, h.windows().size());
        assertEquals("a", h.windows().get(0).fromNode());
        assertTrue(!Files.exists(dir.resolve("log")) || !log().contains("route replace") && !log().contains("route del"),
                "taking the IP over changes no route: it was armed already");
    }

    @Test
    void reArmingAnIpThatMovedBetweenOtherNodesWaitsForSettle() throws Exception {
        FlowHandoff h = start();
        h.onOwners(Map.of(VIP, "a"), Map::of, WITH_C);
        Files.delete(dir.resolve("log"));
        h.onOwners(Map.of(VIP, "c"), Map::of, WITH_C);
        assertTrue(!Files.exists(dir.resolve("log")), "nothing runs before the announcement: " + (Files.exists(dir.resolve("log")) ? log() : ""));
        h.settle();
        assertTrue(log().contains("route replace 198.18.0.200/32 via 198.18.0.13 table 7473"), log());
        Files.delete(dir.resolve("log"));
        h.settle();
        assertTrue(!Files.exists(dir.resolve("log")), "settled once");
    }

    @Test
    void whatCanWaitIsInstalledAtMostOncePerSettleInterval() throws Exception {
        IpAddress second = IpAddress.parse("198.18.0.201").orElseThrow();
        SettableClock now = new SettableClock(T0);
        FlowHandoff h = start(now);
        h.onOwners(Map.of(VIP, "a"), Map::of, WITH_C);
        h.settle();
        assertTrue(log().contains("route replace 198.18.0.200/32 via 198.18.0.11"), log());
        Files.delete(dir.resolve("log"));

        // a new Service IP owned by another node, half a second later: armed, but not yet
        now.set(T0.plusMillis(500));
        h.onOwners(Map.of(VIP, "a", second, "c"), Map::of, WITH_C);
        h.settle();
        assertTrue(!Files.exists(dir.resolve("log")), "nothing runs within the interval: "
                + (Files.exists(dir.resolve("log")) ? log() : ""));
        assertTrue(h.unsettled(), "left for later");

        now.set(T0.plus(FlowHandoff.SETTLE_INTERVAL));
        h.onOwners(Map.of(VIP, "a", second, "c"), Map::of, WITH_C);
        h.settle();
        assertTrue(log().contains("route replace 198.18.0.201/32 via 198.18.0.13"), log());
        assertTrue(!h.unsettled(), "settled");

        // an IP armed late is taken over within the interval: its window is installed at once
        IpAddress third = IpAddress.parse("198.18.0.202").orElseThrow();
        now.set(T0.plus(FlowHandoff.SETTLE_INTERVAL).plusMillis(10));
        h.onOwners(Map.of(VIP, "a", second, "c", third, "c"), Map::of, WITH_C);
        h.settle();
        assertTrue(h.unsettled(), "the third IP's route is left for later");
        Files.delete(dir.resolve("log"));
        now.set(T0.plus(FlowHandoff.SETTLE_INTERVAL).plusMillis(20));
        h.onOwners(Map.of(VIP, "a", second, "c", third, "b"), Map::of, WITH_C);
        assertTrue(log().contains("route replace 198.18.0.202/32 via 198.18.0.13"), log());
        assertEquals(List.of(third), h.windows().stream().map(HandoffWindow::ip).toList());

        // the clock stepped back: what waits is installed, not held back until it catches up
        IpAddress fourth = IpAddress.parse("198.18.0.203").orElseThrow();
        Files.delete(dir.resolve("log"));
        now.set(T0.minusSeconds(3600));
        h.onOwners(Map.of(VIP, "a", second, "c", third, "b", fourth, "c"), Map::of, WITH_C);
        h.settle();
        assertTrue(log().contains("route replace 198.18.0.203/32 via 198.18.0.13"), log());
    }

    @Test
    void aRestartedSpeakerRoutesItsWindowsFirstAndArmsTheRestOnceTheIntervalHasPassed() throws Exception {
        IpAddress others = IpAddress.parse("198.18.0.201").orElseThrow();
        SettableClock now = new SettableClock(T0);
        FlowHandoff h = start(now);
        // just started: it takes VIP back from a, while c keeps the other IP
        h.onOwners(Map.of(VIP, "b", others, "c"), () -> Map.of(VIP, "a", others, "c"), WITH_C);
        assertTrue(log().contains("route replace 198.18.0.200/32 via 198.18.0.11 table 7473"), log());
        assertTrue(!log().contains("198.18.0.201"), "the IP another node keeps is not routed before the announcement: " + log());
        assertEquals(List.of(VIP), h.windows().stream().map(HandoffWindow::ip).toList());
        assertTrue(h.unsettled(), "its route is left for later");

        Files.delete(dir.resolve("log"));
        now.set(T0.plusMillis(500));
        h.settle();
        assertTrue(!Files.exists(dir.resolve("log")), "nothing runs within the interval");
        now.set(T0.plus(FlowHandoff.SETTLE_INTERVAL));
        h.settle();
        assertTrue(log().contains("route replace 198.18.0.201/32 via 198.18.0.13 table 7473"), log());
        assertTrue(!h.unsettled(), "settled");
        assertEquals(List.of(VIP), h.windows().stream().map(HandoffWindow::ip).toList(), "the window stays open");
    }

    @Test
    void aWindowWhoseRouteIsNotArmedIsInstalledBeforeTheAnnouncement() throws Exception {
        FlowHandoff h = start();
        // a speaker that just started: it never saw the IP owned elsewhere, so nothing was armed
        h.onOwners(Map.of(VIP, "b"), () -> Map.of(VIP, "a"), NODES);
        assertTrue(log().contains("route replace 198.18.0.200/32 via 198.18.0.11 table 7473"), log());
        assertEquals(1, h.windows().size());
    }

    @Test
    void noRouteToItselfAndTheWindowEndsOnFailback() throws Exception {
        FlowHandoff h = start();
        h.onOwners(Map.of(VIP, "b"), Map::of, NODES);
        assertTrue(!log().contains("route replace"), "an IP this node owns without a previous owner is not routed: " + log());
        h.onOwners(Map.of(VIP, "a"), Map::of, NODES);
        h.onOwners(Map.of(VIP, "b"), Map::of, NODES);
        assertEquals(1, h.windows().size());
        h.onOwners(Map.of(VIP, "a"), Map::of, NODES);
        assertTrue(h.windows().isEmpty());
        h.stop();
        assertTrue(log().contains("-4 route flush table 7473\n") && log().endsWith("-6 route flush table 7473\n"), log());
    }

    @Test
    void anIpv6ServiceIpIsArmedAndHandedOffThroughTheOwnersIpv6Address() throws Exception {
        FlowHandoff h = start();
        assertTrue(log().contains("-6 rule add pref 90 fwmark 0x00f10000/0x00f10000 lookup 7473"), log());
        h.onOwners(Map.of(VIP6, "a", VIP, "a"), Map::of, NODES);
        h.settle();
        assertTrue(log().contains("ip -6 -force -batch -\n  route replace 2001:db8::200/128 via 2001:db8::11 table 7473"), log());
        assertTrue(log().contains("add element inet ferrite_handoff handed_off6 { 2001:db8::200 }"), log());
        h.onOwners(Map.of(VIP6, "b", VIP, "b"), Map::of, NODES);
        assertEquals(List.of(VIP, VIP6), h.windows().stream().map(HandoffWindow::ip).toList());
    }

    @Test
    void withoutIpv6ForwardingOnlyIpv4IsHandedOff() throws Exception {
        FlowHandoff h = FlowHandoff.start("b", HandoffSettings.defaults(), RecordingCommands.in(dir, false), Clock.systemUTC());
        assertTrue(h.on(), h.offBecause());
        assertTrue(!log().contains("-6 rule add"), log());
        h.onOwners(Map.of(VIP6, "a", VIP, "a"), Map::of, NODES);
        h.settle();
        h.onOwners(Map.of(VIP6, "b", VIP, "b"), Map::of, NODES);
        assertEquals(List.of(VIP), h.windows().stream().map(HandoffWindow::ip).toList());
        assertTrue(!log().contains("2001:db8::200"), "an IPv6 IP is neither armed nor handed off: " + log());
        assertEquals(Map.of(IpFamily.IPv6, "IPv6 forwarding is off on this node (net.ipv6.conf.all.forwarding=0)"),
                h.familiesOff());
    }

    /** A clock the test moves. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
