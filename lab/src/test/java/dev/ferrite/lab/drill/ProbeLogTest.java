package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeLogTest {

    static ProbeSample ok(String ip, long t, String node) {
        return new ProbeSample(ip, t, true, Optional.of(node));
    }

    static ProbeSample failed(String ip, long t) {
        return new ProbeSample(ip, t, false, Optional.empty());
    }

    @Test
    void steadyWhenEveryIpIsAnsweredByOneNodeThroughoutTheWindow() {
        ProbeLog log = new ProbeLog(100);
        for (long t = 0; t < 10; t++) {
            log.add(ok("198.18.0.200", t, "node1"));
            log.add(ok("198.18.0.201", t, "node2"));
        }
        assertEquals(Optional.of(Map.of("198.18.0.200", "node1", "198.18.0.201", "node2")),
                log.steadyOwners(List.of("198.18.0.200", "198.18.0.201"), 0, 9, 5));
    }

    @Test
    void notSteadyWhileAProbeFailsOrTwoNodesAnswer() {
        ProbeLog log = new ProbeLog(100);
        for (long t = 0; t < 10; t++) {
            log.add(t == 4 ? failed("198.18.0.200", t) : ok("198.18.0.200", t, "node1"));
            log.add(ok("198.18.0.201", t, t < 5 ? "node1" : "node2"));
        }
        assertEquals(Optional.empty(), log.steadyOwners(List.of("198.18.0.200"), 0, 9, 5));
        assertEquals(Optional.empty(), log.steadyOwners(List.of("198.18.0.201"), 0, 9, 5));
        assertEquals(Optional.of(Map.of("198.18.0.201", "node2")), log.steadyOwners(List.of("198.18.0.201"), 5, 9, 5));
    }

    @Test
    void notSteadyWithTooFewProbes() {
        ProbeLog log = new ProbeLog(100);
        log.add(ok("198.18.0.200", 1, "node1"));
        assertEquals(Optional.empty(), log.steadyOwners(List.of("198.18.0.200"), 0, 9, 5));
    }

    @Test
    void keepsOnlyTheNewestSamplesPerIp() {
        ProbeLog log = new ProbeLog(3);
        for (long t = 0; t < 10; t++) {
            log.add(ok("198.18.0.200", t, "node1"));
        }
        assertEquals(List.of(7L, 8L, 9L), log.window("198.18.0.200", 0, 100).stream().map(ProbeSample::atNanos).toList());
    }
}
