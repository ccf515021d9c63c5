package dev.ferrite.controller.statusview;

import dev.ferrite.controller.statusview.StatusReport.FamilyCount;
import dev.ferrite.controller.statusview.StatusReport.InvalidRow;
import dev.ferrite.controller.statusview.StatusReport.PendingRow;
import dev.ferrite.controller.statusview.StatusReport.PoolRow;
import dev.ferrite.controller.statusview.StatusReport.ServiceRow;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The report as JSON or YAML for scripts. The document is built field by field, so the
 * field order is fixed by this class and not by Jackson's property ordering; an absent value
 * is an explicit {@code null}, so every key is always there. Ages appear both as a timestamp
 * and as the text the table shows.
 */
public final class StructuredRenderer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES, YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .build();

    private StructuredRenderer() {
    }

    public static String json(StatusReport report) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(report)) + "\n";
    }

    public static String yaml(StatusReport report) {
        return YAML.writeValueAsString(tree(report));
    }

    static ObjectNode tree(StatusReport report) {
        Instant now = report.generatedAt();
        ObjectNode root = JSON.createObjectNode();
        root.put("generatedAt", now.toString());
        ArrayNode services = root.putArray("services");
        for (ServiceRow s : report.services()) {
            ObjectNode n = services.addObject();
            n.put("namespace", s.namespace());
            n.put("name", s.name());
            ArrayNode ips = n.putArray("ips");
            s.ips().forEach(ip -> ips.add(ip.toString()));
            put(n, "pool", s.pool());
            ArrayNode nodes = n.putArray("nodes");
            s.nodes().forEach(nodes::add);
            put(n, "loadBalancerClass", s.loadBalancerClass());
            n.put("ferrite", s.ferrite());
            created(n, s.created(), now);
        }
        ArrayNode pools = root.putArray("pools");
        for (PoolRow p : report.pools()) {
            ObjectNode n = pools.addObject();
            n.put("name", p.name());
            n.put("valid", p.valid());
            count(n, "ipv4", p.ipv4());
            count(n, "ipv6", p.ipv6());
            created(n, p.created(), now);
        }
        ArrayNode pending = root.putArray("pending");
        for (PendingRow p : report.pending()) {
            ObjectNode n = pending.addObject();
            n.put("namespace", p.namespace());
            n.put("name", p.name());
            put(n, "reason", p.reason());
            put(n, "reasonAt", p.reasonAt().map(Instant::toString));
            created(n, p.created(), now);
        }
        ArrayNode invalid = root.putArray("invalid");
        for (InvalidRow i : report.invalid()) {
            ObjectNode n = invalid.addObject();
            n.put("kind", i.kind());
            n.put("name", i.name());
            n.put("error", i.error());
            put(n, "since", i.since().map(Instant::toString));
        }
        if (!report.foreignClaims().isEmpty()) {
            ArrayNode claims = root.putArray("foreignClaims");
            for (StatusReport.ClaimRow c : report.foreignClaims()) {
                ObjectNode n = claims.addObject();
                n.put("service", c.key());
                n.put("message", c.message());
                put(n, "at", c.at().map(Instant::toString));
            }
        }
        if (!report.addressesInUse().isEmpty()) {
            ArrayNode inUse = root.putArray("addressesInUse");
            for (StatusReport.InUseRow a : report.addressesInUse()) {
                ObjectNode n = inUse.addObject();
                n.put("pool", a.pool());
                n.put("ip", a.ip());
                n.put("reason", a.reason());
            }
        }
        if (!report.handoffs().isEmpty()) {
            ArrayNode handoffs = root.putArray("handoffs");
            for (StatusReport.HandoffRow h : report.handoffs()) {
                ObjectNode n = handoffs.addObject();
                n.put("service", h.service());
                n.put("ip", h.ip());
                n.put("node", h.node());
                n.put("fromNode", h.fromNode());
                put(n, "until", h.until().map(Instant::toString));
            }
        }
        return root;
    }

    /** The creation time and the age text the table shows for it. */
    private static void created(ObjectNode n, Optional<Instant> created, Instant now) {
        put(n, "created", created.map(Instant::toString));
        n.put("age", HumanAge.of(created, now));
    }

    private static void count(ObjectNode parent, String field, Optional<FamilyCount> count) {
        if (count.isEmpty()) {
            parent.putNull(field);
            return;
        }
        FamilyCount c = count.get();
        ObjectNode n = parent.putObject(field);
        n.put("used", c.used());
        n.put("available", c.available());
        n.put("total", c.total());
        n.put("saturated", c.saturated());
    }

    private static void put(ObjectNode n, String field, Optional<String> value) {
        if (value.isPresent()) {
            n.put(field, value.get());
        } else {
            n.putNull(field);
        }
    }
}
