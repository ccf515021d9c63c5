package dev.ferrite.speaker.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FlowHandoff against a recording stand-in for nft and ip (see HandoffInstallerTest). */
class FlowHandoffTest {

    @TempDir
    Path dir;

    private static final IpAddress VIP = IpAddress.parse("198.18.0.200").orElseThrow();
    private static final Map<String, IpAddress> NODES = Map.of("a", IpAddress.parse("198.18.0.11").orElseThrow(),
            "b", IpAddress.parse("198.18.0.12").orElseThrow());

    private FlowHandoff start() throws Exception {
        Path script = dir.resolve("fake.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + dir.resolve("log") + "\n"
                + "case \"$*\" in *' -f -'|*'-batch -') sed 's/^/  /' >> " + dir.resolve("log") + ";; *ip_forward) echo 1;; esac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T21:00:00Z"), ZoneOffset.UTC);
        FlowHandoff h = FlowHandoff.start("b", HandoffSettings.defaults(), new HandoffCommands(List.of(script.toString())), clock);
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
        assertTrue(log().endsWith("ip -4 route flush table 7473\n"), log());
    }
}
