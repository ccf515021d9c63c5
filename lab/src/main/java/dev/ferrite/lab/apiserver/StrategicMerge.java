package dev.ferrite.lab.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An approximation of Kubernetes' strategic merge patch, for the lab's API server only:
 * fabric8's mock answers such a patch with 415, and {@code kubectl apply} and
 * {@code kubectl patch} send one for every built-in type. Objects merge field by field;
 * a list of objects merges by the first key its elements carry (or the key named in
 * {@code $setElementOrder/...}) among {@code name}, {@code port}, {@code containerPort},
 * {@code type}, {@code ip}, {@code mountPath}; a list of values is replaced. The directives
 * {@code $patch: delete|replace}, {@code $setElementOrder/}, {@code $retainKeys} and
 * {@code $deleteFromPrimitiveList/} are honoured. The real server knows each list's merge
 * key from the schema; a list whose elements have none of these keys is replaced here.
 */
final class StrategicMerge {
    private static final List<String> MERGE_KEYS = List.of("name", "port", "containerPort", "type", "ip", "mountPath", "topologyKey");

    private StrategicMerge() {
    }

    static JsonNode apply(JsonNode original, JsonNode patch) {
        if (!patch.isObject() || !original.isObject()) {
            return strip(patch);
        }
        if ("replace".equals(patch.path("$patch").asString(null))) {
            return strip(patch);
        }
        ObjectNode out = ((ObjectNode) original).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (field.startsWith("$deleteFromPrimitiveList/")) {
                String list = field.substring("$deleteFromPrimitiveList/".length());
                if (out.path(list).isArray()) {
                    ArrayNode kept = out.arrayNode();
                    out.path(list).forEach(v -> {
                        if (!contains(value, v)) {
                            kept.add(v);
                        }
                    });
                    out.set(list, kept);
                }
                continue;
            }
            if (field.startsWith("$")) {
                continue;
            }
            if (value.isNull()) {
                out.remove(field);
            } else if (value.isObject() && out.path(field).isObject()) {
                out.set(field, apply(out.get(field), value));
            } else if (value.isArray()) {
                out.set(field, mergeList(out.path(field), value, patch.path("$setElementOrder/" + field)));
            } else {
                out.set(field, strip(value));
            }
        }
        if (patch.path("$retainKeys").isArray()) {
            List<String> retain = new ArrayList<>();
            patch.path("$retainKeys").forEach(k -> retain.add(k.asString()));
            out.retain(retain);
        }
        return out;
    }

    private static JsonNode mergeList(JsonNode original, JsonNode patch, JsonNode order) {
        Optional<String> key = mergeKey(patch, order);
        if (key.isEmpty() || !original.isArray()) {
            ArrayNode replaced = ApiCatalog.JSON.createArrayNode();
            patch.forEach(v -> {
                if (!"delete".equals(v.path("$patch").asString(null))) {
                    replaced.add(strip(v));
                }
            });
            return replaced;
        }
        String k = key.get();
        List<JsonNode> result = new ArrayList<>();
        original.forEach(result::add);
        for (JsonNode p : patch) {
            int at = indexOf(result, k, p.path(k));
            if ("delete".equals(p.path("$patch").asString(null))) {
                if (at >= 0) {
                    result.remove(at);
                }
            } else if (at >= 0) {
                result.set(at, apply(result.get(at), p));
            } else {
                result.add(strip(p));
            }
        }
        if (order.isArray()) {
            List<JsonNode> ordered = new ArrayList<>();
            for (JsonNode o : order) {
                int at = indexOf(result, k, o.path(k));
                if (at >= 0) {
                    ordered.add(result.remove(at));
                }
            }
            ordered.addAll(result);
            result = ordered;
        }
        ArrayNode out = ApiCatalog.JSON.createArrayNode();
        result.forEach(out::add);
        return out;
    }

    private static Optional<String> mergeKey(JsonNode patch, JsonNode order) {
        JsonNode sample = order.isArray() && !order.isEmpty() ? order.get(0) : patch.isEmpty() ? null : patch.get(0);
        if (sample == null || !sample.isObject()) {
            return Optional.empty();
        }
        return MERGE_KEYS.stream().filter(sample::has).findFirst();
    }

    private static int indexOf(List<JsonNode> list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path(key).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(JsonNode array, JsonNode v) {
        for (JsonNode e : array) {
            if (e.equals(v)) {
                return true;
            }
        }
        return false;
    }

    /** The patch's value without directives, as stored. */
    private static JsonNode strip(JsonNode value) {
        if (value.isObject()) {
            ObjectNode out = ApiCatalog.JSON.createObjectNode();
            value.properties().forEach(e -> {
                if (!e.getKey().startsWith("$")) {
                    out.set(e.getKey(), strip(e.getValue()));
                }
            });
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = ApiCatalog.JSON.createArrayNode();
            value.forEach(v -> out.add(strip(v)));
            return out;
        }
        return value;
    }
}
