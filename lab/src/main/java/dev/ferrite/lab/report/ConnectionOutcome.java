package dev.ferrite.lab.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the client's long-lived connections went through during one fault (or failback):
 * of the connections open when it began, how many {@code survived} (answered throughout, no
 * answer later than 1 s after the one before), were {@code reset}, {@code closed} by the
 * server, or {@code stalled} (an answer more than 1 s late, or given up); the longest wait
 * for an answer; and which pod, through which node, answered them just before and at the end
 * ({@code pod@node} → connections).
 */
public record ConnectionOutcome(int connections, int survived, int reset, int closed, int stalled, long longestStallMillis,
                                Map<String, Integer> answeredBefore, Map<String, Integer> answeredAfter) {

    public static final ConnectionOutcome NONE = new ConnectionOutcome(0, 0, 0, 0, 0, 0, Map.of(), Map.of());

    public ConnectionOutcome {
        answeredBefore = Map.copyOf(new TreeMap<>(answeredBefore));
        answeredAfter = Map.copyOf(new TreeMap<>(answeredAfter));
    }

    public int broken() {
        return reset + closed + stalled;
    }
}
