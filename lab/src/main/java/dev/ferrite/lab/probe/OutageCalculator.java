package dev.ferrite.lab.probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a client's probe results into what an operator cares about: per VIP, how long the
 * client got no answer around a fault and which node answered before and after; and, to
 * catch two nodes announcing one VIP, every change of the answering node and the set of
 * nodes and MACs seen in a time window. Pure: results and times in, values out.
 */
public final class OutageCalculator {

    private OutageCalculator() {
    }

    /** Per VIP (in order of first appearance), the outage around a fault at {@code faultNanos}. */
    public static Map<String, VipOutage> outages(List<ProbeResult> results, long faultNanos) {
        Map<String, VipOutage> out = new LinkedHashMap<>();
        byVip(results).forEach((vip, rs) -> out.put(vip, outage(vip, rs, faultNanos)));
        return out;
    }

    private static VipOutage outage(String vip, List<ProbeResult> sorted, long faultNanos) {
        ProbeResult.Answered before = null;
        ProbeResult.Answered after = null;
        int failed = 0;
        for (ProbeResult r : sorted) {
            if (r.tNanos() <= faultNanos) {
                if (r instanceof ProbeResult.Answered a) {
                    before = a;
                    failed = 0;
                } else {
                    failed++;
                }
            } else if (r instanceof ProbeResult.Answered a) {
                after = a;
                break;
            } else {
                failed++;
            }
        }
        if (before == null) {
            return new VipOutage.NoAnswerBeforeFault(vip);
        }
        if (after == null) {
            return new VipOutage.NotRecovered(vip, before.tNanos(), before.node(), failed);
        }
        return new VipOutage.Recovered(vip, before.tNanos(), before.node(), after.tNanos(), after.node(), failed);
    }

    /**
     * Every change of the node answering a VIP, in time order per VIP. One fault with one
     * failover gives one change; changes back and forth mean two nodes are taking the VIP
     * from each other.
     */
    public static List<AnswerChange> answerChanges(List<ProbeResult> results) {
        List<AnswerChange> changes = new ArrayList<>();
        byVip(results).forEach((vip, rs) -> {
            String current = null;
            for (ProbeResult r : rs) {
                if (r instanceof ProbeResult.Answered a) {
                    if (current != null && !current.equals(a.node())) {
                        changes.add(new AnswerChange(vip, a.tNanos(), current, a.node()));
                    }
                    current = a.node();
                }
            }
        });
        return changes;
    }

    /** Nodes that answered {@code vip} from {@code fromNanos} (inclusive) to {@code toNanos} (exclusive). */
    public static Set<String> answeringNodes(List<ProbeResult> results, String vip, long fromNanos, long toNanos) {
        Set<String> nodes = new LinkedHashSet<>();
        answeredIn(results, vip, fromNanos, toNanos).forEach(a -> nodes.add(a.node()));
        return nodes;
    }

    /** MACs the client held for {@code vip} right after an answer, in the window; more than one after convergence is a split. */
    public static Set<String> answeringMacs(List<ProbeResult> results, String vip, long fromNanos, long toNanos) {
        Set<String> macs = new LinkedHashSet<>();
        answeredIn(results, vip, fromNanos, toNanos).forEach(a -> a.mac().ifPresent(macs::add));
        return macs;
    }

    private static List<ProbeResult.Answered> answeredIn(List<ProbeResult> results, String vip, long from, long to) {
        List<ProbeResult.Answered> out = new ArrayList<>();
        for (ProbeResult r : results) {
            if (r instanceof ProbeResult.Answered a && a.vip().equals(vip) && a.tNanos() >= from && a.tNanos() < to) {
                out.add(a);
            }
        }
        return out;
    }

    private static Map<String, List<ProbeResult>> byVip(List<ProbeResult> results) {
        Map<String, List<ProbeResult>> by = new LinkedHashMap<>();
        for (ProbeResult r : results) {
            by.computeIfAbsent(r.vip(), v -> new ArrayList<>()).add(r);
        }
        by.values().forEach(rs -> rs.sort(Comparator.comparingLong(ProbeResult::tNanos)));
        return by;
    }
}
