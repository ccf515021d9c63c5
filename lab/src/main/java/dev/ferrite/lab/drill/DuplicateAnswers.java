package dev.ferrite.lab.drill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

    /** Two answers from different MACs this close together answer one request: both hosts claim the IP. */
    static final long SAME_REQUEST_NANOS = 50_000_000L;

    /**
     * Service IPs the client saw claimed by two MACs at once within a window where the owner
     * may change: two MACs answering within {@value #SAME_REQUEST_NANOS} ns of each other (both
     * hosts answer the same request), or a MAC answering again after another one took over (the
     * client's entry flips back). One owner handing over to the next (A's answers, then only
     * B's) is not reported.
     */
    public static List<String> atOnce(Collection<NeighbourAnswer> answers, Set<String> serviceIps, long fromNanos, long toNanos) {
        Map<String, List<NeighbourAnswer>> byIp = new HashMap<>();
        for (NeighbourAnswer a : answers) {
            if (a.atNanos() >= fromNanos && a.atNanos() <= toNanos && serviceIps.contains(a.ip())) {
                byIp.computeIfAbsent(a.ip(), ip -> new ArrayList<>()).add(a);
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<NeighbourAnswer>> e : byIp.entrySet()) {
            if (claimedAtOnce(e.getValue())) {
                out.add(e.getKey());
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    private static boolean claimedAtOnce(List<NeighbourAnswer> answers) {
        List<NeighbourAnswer> sorted = new ArrayList<>(answers);
        sorted.sort(Comparator.comparingLong(NeighbourAnswer::atNanos));
        Set<String> before = new HashSet<>();
        NeighbourAnswer previous = null;
        for (NeighbourAnswer a : sorted) {
            if (previous != null && !previous.mac().equals(a.mac())) {
                if (a.atNanos() - previous.atNanos() <= SAME_REQUEST_NANOS || before.contains(a.mac())) {
                    return true;
                }
                before.add(previous.mac());
            }
            previous = a;
        }
        return false;
    }
}
