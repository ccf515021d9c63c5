package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aWindowIsInSendOrderEvenWhenAHungProbeFinishesLast() {
        ProbeLog log = new ProbeLog(100);
        long ms = 1_000_000L;
        log.add(ok("198.18.0.200", 10 * ms, "node1"));
        log.add(ok("198.18.0.200", 40 * ms, "node2"));
        log.add(ok("198.18.0.200", 45 * ms, "node2"));
        // sent at 20 ms, timed out, reported after the two later probes
        log.add(new ProbeSample("198.18.0.200", 20 * ms, false, Optional.empty()));

        List<ProbeSample> w = log.window("198.18.0.200", 0, 100 * ms);

        assertEquals(List.of(10 * ms, 20 * ms, 40 * ms, 45 * ms), w.stream().map(ProbeSample::atNanos).toList());
        assertTrue(w.get(w.size() - 1).ok(), "the newest probe sent is the newest answer");
        assertEquals(List.of(20 * ms, 40 * ms, 45 * ms),
                log.window("198.18.0.200", 15 * ms, 100 * ms).stream().map(ProbeSample::atNanos).toList(),
                "a late result sent inside the window is in it");
    }
}
