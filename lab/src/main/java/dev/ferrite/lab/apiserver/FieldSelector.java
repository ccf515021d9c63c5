package dev.ferrite.lab.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A list request's {@code fieldSelector} ({@code a.b=c,d!=e}), applied by the lab's API
 * server to the listed items itself: fabric8's mock filters on few fields, and
 * {@code kubectl describe} selects Events by {@code involvedObject.name}, {@code .kind},
 * {@code .namespace} and {@code .uid}.
 */
record FieldSelector(List<Term> terms) {

    record Term(String field, String value, boolean equal) {
    }

    static Optional<FieldSelector> of(String pathAndQuery) {
        String[] pq = pathAndQuery.split("\\?", 2);
        if (pq.length < 2) {
            return Optional.empty();
        }
        for (String param : pq[1].split("&")) {
            if (param.startsWith("fieldSelector=")) {
                String expr = URLDecoder.decode(param.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
                List<Term> terms = new ArrayList<>();
                for (String t : expr.split(",")) {
                    if (t.isBlank()) {
                        continue;
                    }
                    boolean not = t.contains("!=");
                    String[] kv = t.split(not ? "!=" : "==?", 2);
                    terms.add(new Term(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "", !not));
                }
                return terms.isEmpty() ? Optional.empty() : Optional.of(new FieldSelector(terms));
            }
        }
        return Optional.empty();
    }

    /** The request without its field selector, for the mock. */
    static String without(String pathAndQuery) {
        String[] pq = pathAndQuery.split("\\?", 2);
        if (pq.length < 2) {
            return pathAndQuery;
        }
        List<String> kept = new ArrayList<>();
        for (String param : pq[1].split("&")) {
            if (!param.startsWith("fieldSelector=")) {
                kept.add(param);
            }
        }
        return kept.isEmpty() ? pq[0] : pq[0] + "?" + String.join("&", kept);
    }

    boolean matches(JsonNode item) {
        for (Term t : terms) {
            String actual = JsonPath.text(item, "." + t.field());
            if (actual.equals(t.value()) != t.equal()) {
                return false;
            }
        }
        return true;
    }

    /** A list with only the matching items; a single object is returned as it is. */
    JsonNode filter(JsonNode body) {
        if (!body.path("items").isArray()) {
            return body;
        }
        ObjectNode out = ((ObjectNode) body).deepCopy();
        ArrayNode items = out.putArray("items");
        body.path("items").forEach(i -> {
            if (matches(i)) {
                items.add(i);
            }
        });
        return out;
    }
}
