package dev.ferrite.controller.statusview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.controller.statusview.StatusReport.Options;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

class StructuredRendererTest {

    private static final StatusReport REPORT = TableRendererTest.cluster(Options.DEFAULT);

    @Test
    void jsonCarriesEveryRowWithStableFieldOrder() {
        JsonNode root = JsonMapper.builder().build().readTree(StructuredRenderer.json(REPORT));
        assertEquals(List.of("generatedAt", "services", "pools", "pending", "invalid"), names(root));
        assertEquals("2026-11-23T12:00:00Z", root.get("generatedAt").asString());

        JsonNode api = root.get("services").get(2);
        assertEquals(List.of("namespace", "name", "ips", "pool", "nodes", "loadBalancerClass", "ferrite", "created", "age"),
                names(api));
        assertEquals("shop/api", api.get("namespace").asString() + "/" + api.get("name").asString());
        assertEquals("[\"198.18.0.201\",\"2001:db8::c9\"]", api.get("ips").toString());
        assertEquals("[\"node-2\"]", api.get("nodes").toString());
        assertEquals("2d", api.get("age").asString());
        assertTrue(root.get("services").get(3).get("nodes").isEmpty(), "unannounced Service has no node");
        assertTrue(api.get("loadBalancerClass").isNull());

        JsonNode dual = root.get("pools").get(1);
        assertEquals("dual", dual.get("name").asString());
        assertEquals(Long.MAX_VALUE, dual.get("ipv6").get("total").asLong());
        assertTrue(dual.get("ipv6").get("saturated").asBoolean());
        assertEquals(10, dual.get("ipv4").get("total").asLong());
        assertTrue(root.get("pools").get(0).get("ipv4").isNull(), "an invalid pool without counts has null counts");

        JsonNode db = root.get("pending").get(0);
        assertEquals("Failed to allocate IP for shop/db: pool lab is full", db.get("reason").asString());
        assertEquals("2026-11-23T11:58:00Z", db.get("reasonAt").asString());

        JsonNode broken = root.get("invalid").get(0);
        assertEquals(List.of("kind", "name", "error", "since"), names(broken));
        assertEquals("IPAddressPool", broken.get("kind").asString());
    }

    @Test
    void yamlHoldsTheSameDocumentAsJson() {
        JsonNode fromJson = JsonMapper.builder().build().readTree(StructuredRenderer.json(REPORT));
        JsonNode fromYaml = YAMLMapper.builder().build().readTree(StructuredRenderer.yaml(REPORT));
        assertEquals(fromJson, fromYaml);
        assertTrue(StructuredRenderer.yaml(REPORT).startsWith("generatedAt: "), "YAML starts with the first field, no marker");
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.propertyNames().forEach(out::add);
        return out;
    }
}
