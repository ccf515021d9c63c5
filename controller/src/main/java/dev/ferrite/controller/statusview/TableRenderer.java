package dev.ferrite.controller.statusview;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.controller.statusview.StatusReport.FamilyCount;
import dev.ferrite.controller.statusview.StatusReport.PendingRow;
import dev.ferrite.controller.statusview.StatusReport.PoolRow;
import dev.ferrite.controller.statusview.StatusReport.ServiceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report as aligned text columns, the way kubectl prints tables: upper-case headers,
 * columns three spaces apart, {@code <none>} for an empty value. Four sections (SERVICES,
 * POOLS, PENDING, INVALID), each shown even when empty so that "nothing pending" is visible
 * rather than inferred.
 */
public final class TableRenderer {

    public static final String NONE = "<none>";
    private static final String GAP = "   ";

    private TableRenderer() {
    }

    public static String render(StatusReport report) {
        StringBuilder out = new StringBuilder();
        section(out, "SERVICES", services(report));
        out.append('\n');
        section(out, "POOLS", pools(report));
        out.append('\n');
        section(out, "PENDING", pending(report));
        out.append('\n');
        section(out, "INVALID", invalid(report));
        if (!report.foreignClaims().isEmpty()) {
            out.append('\n');
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("SERVICE", "FOREIGN CLAIM", "AGE"));
            report.foreignClaims().forEach(c -> rows.add(List.of(c.key(), c.message(), HumanAge.of(c.at(), report.generatedAt()))));
            section(out, "FOREIGN CLAIMS", rows);
        }
        if (!report.addressesInUse().isEmpty()) {
            out.append('\n');
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("POOL", "IP", "FOUND"));
            report.addressesInUse().forEach(a -> rows.add(List.of(a.pool(), a.ip(), a.reason())));
            section(out, "ADDRESSES IN USE", rows);
        }
        if (!report.handoffs().isEmpty()) {
            out.append('\n');
            section(out, "HANDOFF", handoffs(report));
        }
        return out.toString();
    }

    private static List<List<String>> services(StatusReport report) {
        boolean otherClasses = report.services().stream().anyMatch(s -> !s.ferrite());
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("SERVICE", "IPS", "POOL", "NODE", "AGE"));
        if (otherClasses) {
            header.add("CLASS");
        }
        rows.add(header);
        for (ServiceRow s : report.services()) {
            List<String> row = new ArrayList<>(List.of(s.key(),
                    s.ips().isEmpty() ? "<pending>" : String.join(",", s.ips().stream().map(IpAddress::toString).toList()),
                    s.pool().orElse(NONE),
                    s.nodes().isEmpty() ? NONE : String.join(",", s.nodes()),
                    HumanAge.of(s.created(), report.generatedAt())));
            if (otherClasses) {
                // a Service of another class is some other load balancer's business: say whose
                row.add(s.loadBalancerClass().orElse(NONE) + (s.ferrite() ? "" : " (not ferrite)"));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> handoffs(StatusReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SERVICE", "IP", "NODE", "FROM", "UNTIL"));
        for (StatusReport.HandoffRow h : report.handoffs()) {
            rows.add(List.of(h.service(), h.ip(), h.node(), h.fromNode(), h.until().map(Object::toString).orElse(NONE)));
        }
        return rows;
    }

    private static List<List<String>> pools(StatusReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "IPV4 USED/TOTAL", "IPV6 USED/TOTAL", "VALID", "AGE"));
        for (PoolRow p : report.pools()) {
            rows.add(List.of(p.name(), count(p.ipv4()), count(p.ipv6()), p.valid() ? "True" : "False",
                    HumanAge.of(p.created(), report.generatedAt())));
        }
        return rows;
    }

    private static List<List<String>> pending(StatusReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SERVICE", "AGE", "REASON"));
        for (PendingRow p : report.pending()) {
            rows.add(List.of(p.key(), HumanAge.of(p.created(), report.generatedAt()), reason(p)));
        }
        return rows;
    }

    private static List<List<String>> invalid(StatusReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("KIND", "NAME", "ERROR"));
        report.invalid().forEach(i -> rows.add(List.of(i.kind(), i.name(), i.error())));
        return rows;
    }

    /** The controller's reason, or what the absence of one suggests. */
    static String reason(PendingRow p) {
        return p.reason().orElse("no " + StatusReport.ALLOCATION_FAILED
                + " event found (is the controller running? Events expire after an hour)");
    }

    /**
     * {@code used/total}; {@code -} when the pool has no address of the family or its status
     * has no counts yet; a saturated total (IPv6 /64 and larger) prints as a lower bound.
     */
    static String count(Optional<FamilyCount> count) {
        if (count.isEmpty() || count.get().total() == 0) {
            return "-";
        }
        FamilyCount c = count.get();
        return c.used() + "/" + (c.saturated() ? ">=9.2e18" : Long.toString(c.total()));
    }

    private static void section(StringBuilder out, String title, List<List<String>> rows) {
        out.append(title).append('\n');
        if (rows.size() == 1) {
            out.append("(none)\n");
            return;
        }
        int columns = rows.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row.get(i));
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - row.get(i).length())).append(GAP);
                }
            }
            out.append(line).append('\n');
        }
    }
}
