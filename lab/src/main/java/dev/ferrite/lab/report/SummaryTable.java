package dev.ferrite.lab.report;

import java.util.ArrayList;
import java.util.List;

/** The terminal table printed at the end of a drill: one row per fault, columns aligned. */
public final class SummaryTable {
    private static final List<String> HEADER = List.of(
            "fault", "runs", "p50 ms", "p99 ms", "max ms", "unanswered max", "move p50", "move p99", "owner old→new", "failed probes",
            "conns broken", "stall max", "2 MACs during", "dup MAC", "not restored", "stuck failback", "no-endpoint drops");

    private SummaryTable() {
    }

    /** {@code 3/8 (2 reset, 1 stalled)}: broken of all open connections, by how they broke. */
    static String connections(ConnectionOutcome c) {
        if (c.connections() == 0) {
            return "-";
        }
        List<String> how = new ArrayList<>();
        if (c.reset() > 0) {
            how.add(c.reset() + " reset");
        }
        if (c.closed() > 0) {
            how.add(c.closed() + " closed");
        }
        if (c.stalled() > 0) {
            how.add(c.stalled() + " stalled");
        }
        return c.broken() + "/" + c.connections() + (how.isEmpty() ? "" : " (" + String.join(", ", how) + ")");
    }

    /**
     * The lines under the table for what has no column: for {@code rogue} runs, when the
     * foreign claim was reported, and what became of the address another host took before a
     * Service was created. Empty when no run was a rogue one.
     */
    public static String notes(List<FaultRun> runs) {
        List<Long> reported = new ArrayList<>();
        List<Long> moved = new ArrayList<>();
        int checked = 0;
        int held = 0;
        int givenAgain = 0;
        int unreported = 0;
        for (FaultRun r : runs) {
            if (r.reportedMillis().isPresent()) {
                reported.add(r.reportedMillis().get());
            } else if (r.addressInUse().isPresent()) {
                unreported++;
            }
            if (r.addressInUse().isPresent()) {
                AddressInUseCheck a = r.addressInUse().get();
                checked++;
                held += a.held() ? 1 : 0;
                givenAgain += a.givenAfterFound() ? 1 : 0;
                a.movedMillis().ifPresent(moved::add);
            }
        }
        if (checked == 0) {
            return "";
        }
        return "rogue: foreign claim reported after " + spread(reported) + (unreported > 0 ? " (" + unreported + " runs: never)" : "")
                + "; address taken before a Service was created: held in " + held + "/" + checked
                + " runs (the Service moved after " + spread(moved) + "), handed out again in " + givenAgain + "/" + checked
                + System.lineSeparator();
    }

    private static String spread(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return "p50 " + sorted.get((sorted.size() - 1) / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
    }

    public static String render(List<FaultSummary> summaries) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (FaultSummary s : summaries) {
            rows.add(List.of(
                    s.fault(),
                    Integer.toString(s.runs()),
                    Long.toString(s.outage().p50()),
                    Long.toString(s.outage().p99()),
                    Long.toString(s.outage().max()),
                    Long.toString(s.unanswered().max()),
                    s.move().count() == 0 ? "-" : Long.toString(s.move().p50()),
                    s.move().count() == 0 ? "-" : Long.toString(s.move().p99()),
                    s.ownerMovesText(),
                    Integer.toString(s.failedProbes()),
                    connections(s.connections()),
                    s.connections().connections() == 0 ? "-" : Long.toString(s.connections().longestStallMillis()),
                    Integer.toString(s.runsWithTwoMacsDuringFault()),
                    Integer.toString(s.runsWithDuplicateAnswers()),
                    Integer.toString(s.runsNotRestored()),
                    Integer.toString(s.runsWithStuckFailback()),
                    Long.toString(s.noLocalEndpointDrops())));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                int pad = widths[i] - cell.codePointCount(0, cell.length());
                // Text columns left-aligned, numbers right-aligned, as in `kubectl get`.
                boolean left = i == 0 || i == 8 || i == 10;
                if (!left) {
                    sb.append(" ".repeat(pad));
                }
                sb.append(cell);
                if (left && i < row.size() - 1) {
                    sb.append(" ".repeat(pad));
                }
                if (i < row.size() - 1) {
                    sb.append("  ");
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
