package dev.ferrite.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every run of one fault folded into the figures an operator compares: outage percentiles
 * over all Services and runs, how ownership moved, failed probes, runs where an IP was
 * answered by two MACs (during the fault, and after settling), runs where a Service did not
 * come back, what the long-lived connections went through, and Local-policy drops.
 */
public record FaultSummary(
        String fault,
        int runs,
        OutageStats outage,
        OutageStats unanswered,
        OutageStats move,
        Map<String, Integer> ownerMoves,
        int failedProbes,
        int runsWithDuplicateAnswers,
        int runsNotRestored,
        int runsWithStuckFailback,
        int runsWithTwoMacsDuringFault,
        ConnectionOutcome connections,
        long noLocalEndpointDrops) {

    public FaultSummary {
        ownerMoves = Map.copyOf(ownerMoves);
    }

    /** One summary per fault, in the order the faults first appear in {@code runs}. */
    public static List<FaultSummary> of(List<FaultRun> runs) {
        Map<String, List<FaultRun>> byFault = new LinkedHashMap<>();
        for (FaultRun r : runs) {
            byFault.computeIfAbsent(r.fault(), f -> new ArrayList<>()).add(r);
        }
        List<FaultSummary> out = new ArrayList<>();
        for (Map.Entry<String, List<FaultRun>> e : byFault.entrySet()) {
            out.add(summarise(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static FaultSummary summarise(String fault, List<FaultRun> runs) {
        List<Long> outages = new ArrayList<>();
        List<Long> silences = new ArrayList<>();
        List<Long> movesMillis = new ArrayList<>();
        Map<String, Integer> moves = new TreeMap<>();
        int failed = 0;
        int duplicates = 0;
        int notRestored = 0;
        int stuck = 0;
        int twoMacs = 0;
        long drops = 0;
        int[] c = new int[5];
        long longest = 0;
        for (FaultRun r : runs) {
            twoMacs += r.splitBrain().isEmpty() ? 0 : 1;
            drops += r.noLocalEndpointDrops();
            ConnectionOutcome o = r.connections();
            c[0] += o.connections();
            c[1] += o.survived();
            c[2] += o.reset();
            c[3] += o.closed();
            c[4] += o.stalled();
            longest = Math.max(longest, o.longestStallMillis());
            for (ServiceOutcome s : r.services()) {
                outages.add(s.outageMillis());
                silences.add(s.unansweredMillis());
                s.moveMillis().ifPresent(movesMillis::add);
                moves.merge(s.ownerMove(), 1, Integer::sum);
            }
            failed += r.failedProbes();
            duplicates += r.duplicateAnswers().isEmpty() ? 0 : 1;
            notRestored += r.restored() ? 0 : 1;
            stuck += r.failback() == FaultRun.Failback.ON_ITS_OWN ? 0 : 1;
        }
        return new FaultSummary(fault, runs.size(), OutageStats.of(outages), OutageStats.of(silences), OutageStats.of(movesMillis),
                moves, failed, duplicates,
                notRestored, stuck, twoMacs, new ConnectionOutcome(c[0], c[1], c[2], c[3], c[4], longest, Map.of(), Map.of()), drops);
    }

    /** The most frequent owner move, with how many other kinds of move there were. */
    public String ownerMovesText() {
        if (ownerMoves.isEmpty()) {
            return "-";
        }
        Map.Entry<String, Integer> top = null;
        for (Map.Entry<String, Integer> e : new TreeMap<>(ownerMoves).entrySet()) {
            if (top == null || e.getValue() > top.getValue()) {
                top = e;
            }
        }
        String text = top.getKey() + " ×" + top.getValue();
        int others = ownerMoves.size() - 1;
        return others == 0 ? text : text + " (+" + others + " other)";
    }
}
