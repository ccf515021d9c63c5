package dev.ferrite.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.process.LabProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What happens to a lab when the JVM that owns it is interrupted (Ctrl-C) or killed outright. */
@Tag("netns")
class LabCleanupTest {

    private static final String PREFIX = "fxlabc-";

    @BeforeAll
    static void needsRoot() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
    }

    @Test
    void ctrlCTearsTheLabDownThroughTheShutdownHook() throws Exception {
        // a JVM started with SIGINT ignored (anything launched with & from a script) keeps
        // ignoring it, and so does the lab owner it starts: no Ctrl-C can reach it then
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (started in the background)");
        Topology topology = Topology.withRandomId(PREFIX, 1);
        Process owner = holdLab(topology);
        try {
            assertTrue(ip().namespaces().containsAll(topology.namespaces()), "lab is up");
            Command.of("/bin/sh", "-c", "kill -s INT " + owner.pid()).runOrThrow();
            assertTrue(owner.waitFor(20, TimeUnit.SECONDS), "owner exits on SIGINT");
            assertTrue(leftOver(topology).isEmpty(), "namespaces removed: " + leftOver(topology));
            assertFalse(Files.exists(LabMarker.DEFAULT_ROOT.resolve(topology.labName())), "marker removed");
        } finally {
            owner.destroyForcibly();
            LabNetwork.removeStale(topology.labName());
        }
    }

    @Test
    void aKilledOwnersLabIsRefusedAsLeftBehindAndRemovedAsStale() throws Exception {
        Topology topology = Topology.withRandomId(PREFIX, 1);
        Process owner = holdLab(topology);
        try {
            owner.destroyForcibly();
            assertTrue(owner.waitFor(20, TimeUnit.SECONDS), "owner killed");
            assertEquals(topology.namespaces().size(), leftOver(topology).size(), "SIGKILL leaves the lab behind");

            LabStart.Refused refused = assertInstanceOf(LabStart.Refused.class, LabNetwork.up(topology));
            assertTrue(refused.message().contains("was left behind by lab " + topology.labName()), refused.message());
            assertTrue(refused.message().contains("has exited"), refused.message());

            assertEquals(List.of(topology.labName()), LabNetwork.removeStale(topology.labName()));
            assertTrue(leftOver(topology).isEmpty(), "stale namespaces removed: " + leftOver(topology));
            assertFalse(Files.exists(LabMarker.DEFAULT_ROOT.resolve(topology.labName())), "stale marker removed");
        } finally {
            owner.destroyForcibly();
            LabNetwork.removeStale(topology.labName());
        }
    }

    @Test
    void aRunningLabIsNeverTakenForStale() {
        Topology topology = Topology.withRandomId(PREFIX, 1);
        try (LabNetwork lab = LabNetwork.up(topology).orThrow()) {
            assertEquals(List.of(), LabNetwork.removeStale(topology.labName()));
            assertTrue(ip().namespaces().containsAll(topology.namespaces()), "running lab untouched");
            LabStart.Refused refused = assertInstanceOf(LabStart.Refused.class, LabNetwork.up(topology));
            assertTrue(refused.message().contains("is in use by lab"), refused.message());
        }
    }

    private static Process holdLab(Topology topology) throws Exception {
        Process p = new ProcessBuilder(LabProcesses.javaBinary().toString(), "-cp", System.getProperty("java.class.path"),
                LabHoldingMain.class.getName(), topology.prefix(), topology.labId())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.equals("lab up")) {
                // keep draining so the child never blocks on a full pipe
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException e) {
                        // child gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("lab owner exited before the lab was up: " + seen);
    }

    /** Whether this process ignores SIGINT (signal 2), from the SigIgn mask in /proc/self/status. */
    static boolean sigintIgnored() throws java.io.IOException {
        for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2L) != 0;
            }
        }
        return false;
    }

    private static List<String> leftOver(Topology topology) {
        return ip().namespaces().stream().filter(topology.namespaces()::contains).toList();
    }

    private static IpCommand ip() {
        return new IpCommand(LabPreflight.findIp());
    }
}
