package dev.ferrite.lab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonReportTest {

    @Test
    void carriesPercentilesPerFaultAndEveryRun() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("nodes", 3);
        params.put("runs", 2);
        String json = JsonReport.render(params, List.of(
                FaultSummaryTest.run("crash", 1, 250, "node-1", "node-2", 50, List.of(), true),
                FaultSummaryTest.run("crash", 2, 410, "node-2", "node-3", 80, List.of(), true)));
        JsonNode root = JsonMapper.builder().build().readTree(json);
        assertEquals(3, root.get("parameters").get("nodes").asInt());
        JsonNode crash = root.get("faults").get("crash");
        assertEquals(250, crash.get("p50Ms").asLong());
        assertEquals(410, crash.get("p99Ms").asLong());
        assertEquals(410, crash.get("maxMs").asLong());
        assertEquals(2, root.get("runs").size());
        JsonNode s = root.get("runs").get(1).get("services").get(0);
        assertEquals("node-2", s.get("ownerBefore").asText());
        assertEquals("node-3", s.get("ownerAfter").asText());
        assertTrue(root.get("runs").get(0).get("restored").asBoolean());
    }
}
