package dev.ferrite.lab.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutageCalculatorTest {

    private static final String VIP = "198.18.0.200";
    private static final long MS = 1_000_000L;

    /** Builds a probe timeline for one VIP from a compact text: one token per 5 ms, "1"/"2" = node answered, "x" = failed. */
    private static List<ProbeResult> timeline(String vip, String tokens) {
        List<ProbeResult> out = new ArrayList<>();
        for (int i = 0; i < tokens.length(); i++) {
            long t = i * 5 * MS;
            char c = tokens.charAt(i);
            if (c == 'x') {
                out.add(new ProbeResult.Failed(t, vip, "connect timeout", 50_000));
            } else {
                out.add(new ProbeResult.Answered(t, vip, "node" + c, Optional.of("02:00:c6:12:00:0" + c), 300));
            }
        }
        return out;
    }

    @Test
    void outageRunsFromLastAnswerBeforeTheFaultToFirstAnswerAfter() {
        // answers at 0..10 ms, failures 15..45 ms, node2 answers from 50 ms; fault at 12 ms
        Map<String, VipOutage> o = OutageCalculator.outages(timeline(VIP, "111xxxxxxx22"), 12 * MS);
        VipOutage.Recovered r = assertInstanceOf(VipOutage.Recovered.class, o.get(VIP));
        assertEquals(Duration.ofMillis(40), r.outage());
        assertEquals("node1", r.nodeBefore());
        assertEquals("node2", r.nodeAfter());
        assertEquals(7, r.failedProbes());
        assertTrue(r.moved());
    }

    @Test
    void aFaultThatNobodyNoticedCostsOneProbeInterval() {
        VipOutage.Recovered r = assertInstanceOf(VipOutage.Recovered.class,
                OutageCalculator.outages(timeline(VIP, "1111"), 7 * MS).get(VIP));
        assertEquals(Duration.ofMillis(5), r.outage());
        assertEquals(0, r.failedProbes());
        assertFalse(r.moved());
    }

    @Test
    void failuresBeforeTheLastAnswerBeforeTheFaultAreNotPartOfTheOutage() {
        VipOutage.Recovered r = assertInstanceOf(VipOutage.Recovered.class,
                OutageCalculator.outages(timeline(VIP, "xx1x1xx1"), 22 * MS).get(VIP));
        assertEquals(20 * MS, r.lastAnswerBeforeNanos());
        assertEquals(35 * MS, r.firstAnswerAfterNanos());
        assertEquals(2, r.failedProbes());
    }

    @Test
    void aVipThatNeverAnswersAgainIsNotRecovered() {
        VipOutage.NotRecovered r = assertInstanceOf(VipOutage.NotRecovered.class,
                OutageCalculator.outages(timeline(VIP, "11xxx"), 6 * MS).get(VIP));
        assertEquals("node1", r.nodeBefore());
        assertEquals(3, r.failedProbes());
    }

    @Test
    void aVipWithoutAnAnswerBeforeTheFaultHasNothingToMeasureFrom() {
        assertInstanceOf(VipOutage.NoAnswerBeforeFault.class,
                OutageCalculator.outages(timeline(VIP, "xxx11"), 12 * MS).get(VIP));
    }

    @Test
    void eachVipIsMeasuredOnItsOwnEvenWhenResultsInterleaveOutOfOrder() {
        List<ProbeResult> all = new ArrayList<>(timeline("2001:db8::200", "11xx1"));
        all.addAll(timeline(VIP, "1xxxx1"));
        java.util.Collections.reverse(all);
        Map<String, VipOutage> o = OutageCalculator.outages(all, 7 * MS);
        assertEquals(Set.of(VIP, "2001:db8::200"), o.keySet());
        assertEquals(Duration.ofMillis(25), ((VipOutage.Recovered) o.get(VIP)).outage());
        assertEquals(Duration.ofMillis(15), ((VipOutage.Recovered) o.get("2001:db8::200")).outage());
    }

    @Test
    void answerChangesShowOneFailoverOrTwoNodesTakingTheVipFromEachOther() {
        assertEquals(List.of(new AnswerChange(VIP, 25 * MS, "node1", "node2")),
                OutageCalculator.answerChanges(timeline(VIP, "11xxx22")));
        List<AnswerChange> flapping = OutageCalculator.answerChanges(timeline(VIP, "1212"));
        assertEquals(3, flapping.size());
        assertEquals(new AnswerChange(VIP, 10 * MS, "node2", "node1"), flapping.get(1));
    }

    @Test
    void nodesAndMacsSeenInAWindowRevealASplit() {
        List<ProbeResult> r = timeline(VIP, "1111x2121");
        assertEquals(Set.of("node1"), OutageCalculator.answeringNodes(r, VIP, 0, 20 * MS));
        assertEquals(Set.of("node2", "node1"), OutageCalculator.answeringNodes(r, VIP, 20 * MS, Long.MAX_VALUE));
        assertEquals(Set.of("02:00:c6:12:00:02", "02:00:c6:12:00:01"),
                OutageCalculator.answeringMacs(r, VIP, 25 * MS, Long.MAX_VALUE));
        assertEquals(Set.of(), OutageCalculator.answeringNodes(r, "198.18.0.201", 0, Long.MAX_VALUE));
    }
}
