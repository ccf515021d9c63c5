package dev.ferrite.lab.report;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The machine-readable drill result ({@code --json FILE}): the drill parameters, p50/p99/max
 * per fault (failbacks as faults of their own, {@code crash/failback}), what the long-lived
 * connections went through, and every run with every Service's outcome. Timelines are left out: they are
 * large and the SVG carries them.
 */
public final class JsonReport {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonReport() {
    }

    public static String render(Map<String, Object> parameters, List<FaultRun> runs) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode params = root.putObject("parameters");
        parameters.forEach((k, v) -> params.set(k, MAPPER.valueToTree(v)));
        ObjectNode faults = root.putObject("faults");
        for (FaultSummary s : FaultSummary.of(runs)) {
            ObjectNode f = faults.putObject(s.fault());
            f.put("runs", s.runs());
            f.put("p50Ms", s.outage().p50());
            f.put("p99Ms", s.outage().p99());
            f.put("maxMs", s.outage().max());
            ObjectNode unanswered = f.putObject("unanswered");
            unanswered.put("p50Ms", s.unanswered().p50());
            unanswered.put("p99Ms", s.unanswered().p99());
            unanswered.put("maxMs", s.unanswered().max());
            ObjectNode move = f.putObject("move");
            move.put("count", s.move().count());
            move.put("p50Ms", s.move().p50());
            move.put("p99Ms", s.move().p99());
            move.put("maxMs", s.move().max());
            f.put("failedProbes", s.failedProbes());
            f.put("runsWithDuplicateAnswers", s.runsWithDuplicateAnswers());
            f.put("runsNotRestored", s.runsNotRestored());
            f.put("runsWithStuckFailback", s.runsWithStuckFailback());
            f.put("runsWithTwoMacsDuringFault", s.runsWithTwoMacsDuringFault());
            f.put("noLocalEndpointDrops", s.noLocalEndpointDrops());
            connections(f.putObject("connections"), s.connections());
            ObjectNode moves = f.putObject("ownerMoves");
            s.ownerMoves().forEach(moves::put);
        }
        ArrayNode all = root.putArray("runs");
        for (FaultRun r : runs) {
            ObjectNode run = all.addObject();
            run.put("fault", r.fault());
            run.put("run", r.run());
            run.put("faultOwner", r.faultOwner());
            run.put("failedProbes", r.failedProbes());
            run.put("restored", r.restored());
            run.put("failback", r.failback().name());
            if (r.settleMillis().isPresent()) {
                run.put("settleMs", r.settleMillis().get());
            } else {
                run.putNull("settleMs");
            }
            run.put("noLocalEndpointDrops", r.noLocalEndpointDrops());
            connections(run.putObject("connections"), r.connections());
            ArrayNode dup = run.putArray("duplicateAnswers");
            r.duplicateAnswers().forEach(dup::add);
            ArrayNode split = run.putArray("splitBrain");
            r.splitBrain().forEach(split::add);
            r.reportedMillis().ifPresent(ms -> run.put("foreignClaimReportedMs", ms));
            r.addressInUse().ifPresent(a -> {
                var n = run.putObject("addressInUse");
                n.put("address", a.address());
                a.firstGiven().ifPresent(v -> n.put("firstGiven", v));
                a.movedTo().ifPresent(v -> n.put("movedTo", v));
                a.movedMillis().ifPresent(v -> n.put("movedMs", v));
                n.put("listedByPool", a.listedByPool());
                a.laterService().ifPresent(v -> n.put("laterService", v));
                n.put("givenAfterFound", a.givenAfterFound());
            });
            ArrayNode services = run.putArray("services");
            for (ServiceOutcome o : r.services()) {
                ObjectNode s = services.addObject();
                s.put("service", o.service());
                s.put("ip", o.ip());
                s.put("outageMs", o.outageMillis());
                s.put("unansweredMs", o.unansweredMillis());
                if (o.moveMillis().isPresent()) {
                    s.put("moveMs", o.moveMillis().get());
                } else {
                    s.putNull("moveMs");
                }
                s.put("ownerBefore", o.ownerBefore().orElse(null));
                s.put("ownerAfter", o.ownerAfter().orElse(null));
                s.put("probes", o.probes());
                s.put("failedProbes", o.failedProbes());
                s.put("restored", o.restored());
            }
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    private static void connections(ObjectNode n, ConnectionOutcome c) {
        n.put("open", c.connections());
        n.put("survived", c.survived());
        n.put("reset", c.reset());
        n.put("closed", c.closed());
        n.put("stalled", c.stalled());
        n.put("longestStallMs", c.longestStallMillis());
        ObjectNode before = n.putObject("answeredBefore");
        c.answeredBefore().forEach(before::put);
        ObjectNode after = n.putObject("answeredAfter");
        c.answeredAfter().forEach(after::put);
    }
}
