package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.report.ServiceOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeAnalysisTest {
    static final long MS = 1_000_000L;

    /** Probes every 5 ms from {@code fromMs} to {@code toMs}; {@code who} says which node answered at t (null = failed). */
    static List<ProbeSample> probes(int fromMs, int toMs, java.util.function.IntFunction<String> who) {
        List<ProbeSample> out = new ArrayList<>();
        for (int t = fromMs; t < toMs; t += 5) {
            String node = who.apply(t);
            out.add(new ProbeSample("198.18.0.200", t * MS, node != null, Optional.ofNullable(node)));
        }
        return out;
    }

    @Test
    void outageRunsFromLastAnswerBeforeTheGapToFirstAnswerAfterIt() {
        // fault at 1000 ms; probes fail from 1000 to 1295; node-2 answers from 1300
        List<ProbeSample> p = probes(0, 2000, t -> t < 1000 ? "node-1" : t < 1300 ? null : "node-2");
        ServiceOutcome o = ProbeAnalysis.outcome("default/web-0", "198.18.0.200", p, 1000 * MS);
        assertEquals(305, o.outageMillis(), "995 ms (last answer) to 1300 ms (first answer)");
        assertEquals(305, o.unansweredMillis(), "a single silence is the whole outage");
        assertEquals(60, o.failedProbes());
        assertEquals(Optional.of("node-1"), o.ownerBefore());
        assertEquals(Optional.of("node-2"), o.ownerAfter());
        assertEquals(Optional.of(300L), o.moveMillis(), "fault to node-2's first answer");
        assertTrue(o.restored());
    }

    @Test
    void aMoveWithoutAFailedProbeHasNoOutage() {
        List<ProbeSample> p = probes(0, 2000, t -> t < 1010 ? "node-1" : "node-3");
        ServiceOutcome o = ProbeAnalysis.outcome("default/web-0", "198.18.0.200", p, 1000 * MS);
        assertEquals(0, o.outageMillis());
        assertEquals(0, o.failedProbes());
        assertEquals("node-1→node-3", o.ownerMove());
        assertEquals(Optional.of(10L), o.moveMillis());
    }

    @Test
    void flappingCountsFromTheFirstGapToTheEndOfTheLast() {
        List<ProbeSample> p = probes(0, 2000, t -> (t >= 1100 && t < 1200) || (t >= 1400 && t < 1500) ? null : "node-2");
        ServiceOutcome o = ProbeAnalysis.outcome("s", "198.18.0.200", p, 1000 * MS);
        assertEquals(1500 - 1095, o.outageMillis());
        assertEquals(105, o.unansweredMillis(), "the longest silence: 1095 to 1200 ms");
        assertEquals(40, o.failedProbes());
    }

    @Test
    void probesFailingNowAndThenLeaveAnOutageButNoLongSilence() {
        // a partition: every third new connection goes to a backend across it and fails
        List<ProbeSample> p = probes(0, 4000, t -> t >= 1000 && t < 3000 && t % 15 == 0 ? null : "node-2");
        ServiceOutcome o = ProbeAnalysis.outcome("s", "198.18.0.200", p, 1000 * MS);
        assertTrue(o.outageMillis() > 1900, o.toString());
        assertEquals(10, o.unansweredMillis(), o.toString());
    }

    @Test
    void aServiceThatNeverComesBackIsNotRestoredAndItsOutageRunsToTheLastProbe() {
        List<ProbeSample> p = probes(0, 2000, t -> t < 1000 ? "node-1" : null);
        ServiceOutcome o = ProbeAnalysis.outcome("s", "198.18.0.200", p, 1000 * MS);
        assertFalse(o.restored());
        assertEquals(Optional.empty(), o.ownerAfter());
        assertEquals(1995 - 995, o.outageMillis());
    }

    @Test
    void settleIsWhenAnswersLastChangedNodeOrFailed() {
        List<ProbeSample> p = probes(0, 3000, t -> t < 1000 ? "node-1" : t < 1200 ? null : t < 1600 ? (t % 10 == 0 ? "node-1" : "node-2") : "node-2");
        assertEquals(Optional.of(595 * MS), ProbeAnalysis.settleNanos(p, 1000 * MS));
        List<ProbeSample> dead = probes(0, 3000, t -> t < 1000 ? "node-1" : null);
        assertEquals(Optional.empty(), ProbeAnalysis.settleNanos(dead, 1000 * MS));
    }

    @Test
    void timelineOffsetsAreMillisecondsFromTheFault() {
        List<ProbeSample> p = probes(990, 1015, t -> "node-1");
        var lane = ProbeAnalysis.lane("s", "198.18.0.200", p, 1000 * MS);
        assertEquals(-10.0, lane.samples().get(0).offsetMillis());
        assertEquals(10.0, lane.samples().get(4).offsetMillis());
    }
}
