package dev.ferrite.lab.apiserver;

import tools.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of kubectl's JSONPath that printer columns use: {@code .a.b}, {@code .a[0].b},
 * {@code .a[*].b} and a filter {@code .a[?(@.type=="Valid")].b}. Evaluates to every
 * matching leaf, which a column joins with commas, as the real API server does.
 */
final class JsonPath {
    private static final Pattern STEP = Pattern.compile(
            "\\.([A-Za-z0-9_\\-]+)|\\[(\\*|\\d+)]|\\[\\?\\(@\\.([A-Za-z0-9_\\-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

    private JsonPath() {
    }

    static List<JsonNode> evaluate(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        Matcher m = STEP.matcher(path.trim());
        int at = 0;
        while (at < path.trim().length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("unsupported JSONPath " + path + " at " + at);
            }
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                if (m.group(1) != null) {
                    if (n.has(m.group(1))) {
                        next.add(n.get(m.group(1)));
                    }
                } else if (m.group(2) != null) {
                    if (n.isArray()) {
                        if (m.group(2).equals("*")) {
                            n.forEach(next::add);
                        } else if (Integer.parseInt(m.group(2)) < n.size()) {
                            next.add(n.get(Integer.parseInt(m.group(2))));
                        }
                    }
                } else if (n.isArray()) {
                    for (JsonNode e : n) {
                        if (m.group(4).equals(e.path(m.group(3)).asString(null))) {
                            next.add(e);
                        }
                    }
                }
            }
            current = next;
            at = m.end();
        }
        return current;
    }

    /** The column's text: leaves joined by commas, arrays and objects as JSON. */
    static String text(JsonNode root, String path) {
        List<String> parts = new ArrayList<>();
        for (JsonNode n : evaluate(root, path)) {
            parts.add(n.isValueNode() ? n.asString() : n.toString());
        }
        return String.join(",", parts);
    }
}
