package dev.ferrite.speaker.handoff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How flow handoff is configured on a node.
 *
 * @param enabled        false: no rules at all (the speaker only announces)
 * @param window         how long after a move unknown flows still go to the previous owner
 * @param mark           packet and conntrack mark bit(s) of handed-off flows; must not overlap
 *                       the marks of kube-proxy (0x4000, 0x8000) or the CNI
 * @param routeTable     routing table holding the routes to previous owners
 * @param rulePreference preference of the policy rule; the local table's rule is moved just
 *                       behind it when Service IPs are local addresses
 */
public record HandoffSettings(boolean enabled, Duration window, long mark, int routeTable, int rulePreference) {

    /** Covers a speaker restart and failback with a wide margin; see docs/design.md. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final long DEFAULT_MARK = 0x00f10000L;
    public static final int DEFAULT_ROUTE_TABLE = 7473;
    public static final int DEFAULT_RULE_PREFERENCE = 90;

    public static HandoffSettings defaults() {
        return new HandoffSettings(true, DEFAULT_WINDOW, DEFAULT_MARK, DEFAULT_ROUTE_TABLE, DEFAULT_RULE_PREFERENCE);
    }

    public static HandoffSettings off() {
        return new HandoffSettings(false, DEFAULT_WINDOW, DEFAULT_MARK, DEFAULT_ROUTE_TABLE, DEFAULT_RULE_PREFERENCE);
    }

    /** Settings an operator got wrong, each naming the flag and value; empty when usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (window.isNegative() || window.isZero()) {
            p.add("--handoff-window " + window.toMillis() + "ms must be positive");
        }
        if (mark <= 0 || mark > 0xffff_ffffL) {
            p.add("--handoff-mark " + HandoffRules.hex(mark) + " must be a non-zero 32-bit value");
        } else if ((mark & 0xc000L) != 0) {
            p.add("--handoff-mark " + HandoffRules.hex(mark) + " overlaps kube-proxy's marks 0x4000/0x8000");
        }
        if (routeTable <= 0 || (routeTable >= 253 && routeTable <= 255)) {
            p.add("--handoff-route-table " + routeTable + " must be a free table id (not 0, 253, 254 or 255)");
        }
        if (rulePreference < 1 || rulePreference > 32000) {
            p.add("--handoff-rule-preference " + rulePreference + " must be between 1 and 32000");
        }
        return p;
    }
}
