package dev.ferrite.lab.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import dev.ferrite.lab.apiserver.ApiResource.PrinterColumn;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Server-side printing: turns an object or a list into the {@code meta.k8s.io/v1 Table}
 * that {@code kubectl get} asks for ({@code Accept: application/json;as=Table;...}), with
 * the resource's columns. Without it kubectl prints only NAME and AGE. Dates become ages
 * ({@code 5m}, {@code 2d}) the way the real API server renders them.
 */
final class TableView {
    private TableView() {
    }

    static ObjectNode of(ApiResource resource, JsonNode body, Instant now) {
        ObjectNode table = ApiCatalog.JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = table.putObject("metadata");
        if (body.path("metadata").has("resourceVersion")) {
            meta.put("resourceVersion", body.path("metadata").path("resourceVersion").asString());
        }
        ArrayNode defs = table.putArray("columnDefinitions");
        for (PrinterColumn c : resource.columns()) {
            ObjectNode d = defs.addObject().put("name", c.name())
                    .put("type", c.type().equals("date") ? "string" : c.type())
                    .put("format", c.jsonPath().equals(".metadata.name") ? "name" : "")
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> items = body.has("items") ? iterate(body.path("items")) : List.of(body);
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (PrinterColumn c : resource.columns()) {
                cell(cells, c, item, now);
            }
            ObjectNode object = row.putObject("object").put("kind", "PartialObjectMetadata")
                    .put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    private static List<JsonNode> iterate(JsonNode array) {
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static void cell(ArrayNode cells, PrinterColumn c, JsonNode item, Instant now) {
        List<JsonNode> found = JsonPath.evaluate(item, c.jsonPath());
        if (found.isEmpty() || found.get(0).isNull()) {
            cells.addNull();
        } else if (c.type().equals("date")) {
            cells.add(age(found.get(0).asString(), now));
        } else if (found.size() == 1 && (c.type().equals("integer") || c.type().equals("number")) && found.get(0).isNumber()) {
            cells.add(found.get(0));
        } else if (found.size() == 1 && c.type().equals("boolean") && found.get(0).isBoolean()) {
            cells.add(found.get(0).asBoolean());
        } else {
            cells.add(JsonPath.text(item, c.jsonPath()));
        }
    }

    /** kubectl's short age: 45s, 12m, 5h, 3d. */
    static String age(String timestamp, Instant now) {
        Instant t;
        try {
            t = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
        Duration d = Duration.between(t, now);
        if (d.isNegative()) {
            return "0s";
        }
        if (d.toMinutes() < 2) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 3) {
            return d.toMinutes() + "m";
        }
        if (d.toDays() < 2) {
            return d.toHours() + "h";
        }
        return d.toDays() + "d";
    }
}
