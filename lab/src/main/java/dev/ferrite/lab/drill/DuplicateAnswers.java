package dev.ferrite.lab.drill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds Service IPs the client saw claimed by more than one MAC within a time window: two
 * nodes answering ARP for the same VIP at once. A handover (old owner's claim, then the new
 * owner's) also shows two MACs, so callers choose windows where only one owner is expected,
 * e.g. after the lab settled.
 */
public final class DuplicateAnswers {
    private DuplicateAnswers() {
    }

    public static List<String> within(Collection<NeighbourAnswer> answers, Set<String> serviceIps, long fromNanos, long toNanos) {
        Map<String, Set<String>> macsByIp = new HashMap<>();
        for (NeighbourAnswer a : answers) {
            if (a.atNanos() >= fromNanos && a.atNanos() <= toNanos && serviceIps.contains(a.ip())) {
                macsByIp.computeIfAbsent(a.ip(), ip -> new HashSet<>()).add(a.mac());
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : macsByIp.entrySet()) {
            if (e.getValue().size() > 1) {
                out.add(e.getKey());
            }
        }
        out.sort(String::compareTo);
        return out;
    }
}
