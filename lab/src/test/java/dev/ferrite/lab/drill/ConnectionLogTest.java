package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferrite.lab.probe.ConnectionEvent;
import dev.ferrite.lab.probe.ConnectionEvent.Kind;
import dev.ferrite.lab.report.ConnectionOutcome;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionLogTest {
    static final long MS = 1_000_000L;
    static final String VIP = "198.18.0.200";

    static ConnectionEvent ev(String conn, Kind kind, long tMs, long lastMs, String pod, String why) {
        return new ConnectionEvent(conn, VIP, kind, tMs * MS, lastMs * MS, Optional.ofNullable(pod),
                Optional.ofNullable(pod == null ? null : "node1"), Optional.ofNullable(why));
    }

    @Test
    void connectionsOpenAtTheFaultAreSurvivedResetClosedOrStalled() {
        ConnectionLog log = new ConnectionLog();
        for (String c : new String[] {"a", "b", "c", "d"}) {
            log.add(ev(c, Kind.OPEN, 0, 0, null, null));
            log.add(ev(c, Kind.ANSWER, 10, 10, "pod-1", null));
        }
        log.add(ev("b", Kind.END, 1200, 1190, null, "reset"));
        log.add(ev("c", Kind.END, 1300, 1290, null, "closed"));
        log.add(ev("d", Kind.GAP, 2600, 1100, "pod-1", null));
        log.add(ev("a", Kind.BEAT, 2900, 2890, null, null));
        log.add(ev("late", Kind.OPEN, 1500, 1500, null, null));
        ConnectionOutcome o = log.outcome(Set.of(VIP), 1000 * MS, 3000 * MS);
        assertEquals(4, o.connections(), "the one opened after the fault does not count: " + o);
        assertEquals(1, o.survived());
        assertEquals(1, o.reset());
        assertEquals(1, o.closed());
        assertEquals(1, o.stalled());
        assertEquals(1500, o.longestStallMillis());
        assertEquals(Map.of("pod-1@node1", 4), o.answeredBefore());
        assertEquals(Map.of("pod-1@node1", 2), o.answeredAfter());
    }

    @Test
    void aStallThatHasNotEndedCountsUpToTheEndOfTheWindow() {
        ConnectionLog log = new ConnectionLog();
        log.add(ev("a", Kind.OPEN, 0, 0, null, null));
        log.add(ev("a", Kind.ANSWER, 10, 10, "pod-1", null));
        log.add(ev("a", Kind.BEAT, 2500, 900, null, null));
        ConnectionOutcome o = log.outcome(Set.of(VIP), 1000 * MS, 2400 * MS);
        assertEquals(1, o.stalled(), o.toString());
        assertEquals(1400, o.longestStallMillis());
    }

    @Test
    void aConnectionStalledBeforeTheWindowBelongsToTheFaultThatStalledIt() {
        ConnectionLog log = new ConnectionLog();
        log.add(ev("dead", Kind.OPEN, 0, 0, null, null));
        log.add(ev("dead", Kind.ANSWER, 10, 10, "pod-1", null));
        log.add(ev("dead", Kind.BEAT, 600, 100, null, null));
        log.add(ev("dead", Kind.BEAT, 2500, 100, null, null));
        log.add(ev("alive", Kind.OPEN, 0, 0, null, null));
        log.add(ev("alive", Kind.ANSWER, 10, 10, "pod-1", null));
        // the fault that stalled it (at 100 ms) counts it as stalled ...
        assertEquals(1, log.outcome(Set.of(VIP), 50 * MS, 2400 * MS).stalled());
        // ... a window starting 1.4 s into its stall does not count it at all
        ConnectionOutcome later = log.outcome(Set.of(VIP), 1500 * MS, 3000 * MS);
        assertEquals(1, later.connections(), later.toString());
        assertEquals(1, later.survived(), later.toString());
        // nor once it has been given up
        log.add(ev("dead", Kind.END, 10_100, 100, null, "stalled"));
        assertEquals(1, log.outcome(Set.of(VIP), 5000 * MS, 11_000 * MS).connections());
    }

    @Test
    void theLabIsReadyForAFaultWhenEveryVipHasItsConnectionsAndNoneWaits() {
        ConnectionLog log = new ConnectionLog();
        log.add(ev("a", Kind.OPEN, 0, 0, null, null));
        assertEquals(false, log.allAnswering(Set.of(VIP), 2), "one connection of two");
        log.add(ev("b", Kind.OPEN, 0, 0, null, null));
        assertEquals(true, log.allAnswering(Set.of(VIP), 2));
        log.add(ev("b", Kind.BEAT, 600, 50, null, null));
        assertEquals(false, log.allAnswering(Set.of(VIP), 2), "b waits for an answer");
        log.add(ev("b", Kind.GAP, 900, 50, "pod-1", null));
        assertEquals(true, log.allAnswering(Set.of(VIP), 2), "b answered again");
        log.add(ev("a", Kind.END, 1000, 900, null, "reset"));
        assertEquals(false, log.allAnswering(Set.of(VIP), 2), "a ended; its successor is not open yet");
    }

    @Test
    void eventsSurviveTheirJsonLine() {
        ConnectionEvent e = ev("198.18.0.200#1.2", Kind.GAP, 5, 3, "pod-node1-1", null);
        assertEquals(Optional.of(e), ConnectionEvent.parse(e.toJson()));
    }
}
