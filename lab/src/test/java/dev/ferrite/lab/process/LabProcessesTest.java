package dev.ferrite.lab.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.backend.NodeBackend;
import dev.ferrite.lab.netns.Host;
import dev.ferrite.lab.netns.LabNetwork;
import dev.ferrite.lab.netns.LabPreflight;
import dev.ferrite.lab.netns.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("netns")
class LabProcessesTest {

    private static final Duration BOUND = Duration.ofSeconds(15);
    private static LabNetwork lab;

    @TempDir
    static Path logs;

    @BeforeAll
    static void oneNodeLab() {
        Assumptions.assumeTrue(LabPreflight.isRoot(), "needs root: creates network namespaces");
        lab = LabNetwork.up(Topology.withRandomId("fxlab-", 1)).orThrow();
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void thePidIsTheJavaProcessRunningInsideTheNodeNamespace() throws Exception {
        LabProcesses processes = new LabProcesses(lab, logs.resolve("pid"));
        Host node = lab.topology().node(1);
        LabProcess backend = NodeBackend.startOn(processes, node, BOUND);
        assertEquals(LabProcesses.javaBinary().toRealPath(), backend.executable().orElseThrow().toRealPath(),
                "the PID runs java, not ip");
        assertTrue(lab.ip().pidsIn(node.namespace()).contains(backend.pid()), "the PID lives in " + node.namespace());
        assertTrue(Files.readString(backend.log()).contains("ready node=node1"), "output captured in " + backend.log());
        try (var tasks = Files.list(Path.of("/proc", Long.toString(backend.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                int nice = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
                assertEquals(-5, nice, "a workload runs every thread at the data path's priority: " + task);
            }
        }
        processes.close();
    }

    @Test
    void sigkillEndsTheProcessAtOnceAndSigtermLetsItExitItself() {
        LabProcesses processes = new LabProcesses(lab, logs.resolve("signals"));
        Host node = lab.topology().node(1);
        LabProcess crashed = NodeBackend.startOn(processes, node, BOUND);
        assertTrue(crashed.kill());
        assertEquals(Optional.of(128 + 9), crashed.waitFor(BOUND), "killed by SIGKILL");
        assertFalse(crashed.kill(), "an exited process is not signalled again");

        LabProcess drained = NodeBackend.startOn(processes, node, BOUND);
        assertTrue(drained.log().getFileName().toString().equals("backend-node1-2.log"), "restart gets its own log: " + drained.log());
        assertTrue(drained.terminate());
        assertEquals(Optional.of(128 + 15), drained.waitFor(BOUND), "JVM exits through its shutdown hooks on SIGTERM");
        processes.close();
    }

    @Test
    void aStoppedProcessStaysAliveUntilContinuedAndCloseStopsEverythingStarted() {
        LabProcesses processes = new LabProcesses(lab, logs.resolve("stop"));
        Host node = lab.topology().node(1);
        LabProcess a = NodeBackend.startOn(processes, node, BOUND);
        LabProcess b = processes.start(node, "sleeper", List.of("sleep", "30"));
        assertTrue(a.pause());
        assertTrue(a.waitFor(Duration.ofMillis(200)).isEmpty(), "stopped, not dead");
        assertTrue(a.isStopped(), "kernel reports the process stopped");
        assertTrue(a.resume());
        assertFalse(a.isStopped(), "running again");
        assertTrue(a.pause());
        processes.close();
        assertFalse(a.isAlive(), "a stopped process is still stopped by close");
        assertFalse(b.isAlive(), "close stops every process it started");
        assertTrue(lab.ip().pidsIn(node.namespace()).isEmpty(), "nothing left in the namespace");
    }
}
