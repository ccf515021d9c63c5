package dev.ferrite.api.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A validated Kubernetes label selector (matchLabels and matchExpressions), matched without
 * any client: the same rules as the API server's, so pool, advertisement and node selection
 * mean the same thing in the controller, the speaker and the webhook.
 */
public record Selector(Map<String, String> matchLabels, List<Requirement> requirements) {

    public static final Selector EVERYTHING = new Selector(Map.of(), List.of());

    public Selector {
        // Sorted copies: iteration order (and so toString and log lines) is the same every run.
        matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
        requirements = List.copyOf(requirements);
    }

    public enum Operator { In, NotIn, Exists, DoesNotExist }

    public record Requirement(String key, Operator operator, Set<String> values) {
        public Requirement {
            values = Collections.unmodifiableSortedSet(new TreeSet<>(values));
        }

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case In -> v != null && values.contains(v);
                case NotIn -> v == null || !values.contains(v);
                case Exists -> labels.containsKey(key);
                case DoesNotExist -> !labels.containsKey(key);
            };
        }
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(l.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** True when any selector of the list matches; an empty list matches everything. */
    public static boolean anyMatches(List<Selector> selectors, Map<String, String> labels) {
        if (selectors.isEmpty()) {
            return true;
        }
        for (Selector s : selectors) {
            if (s.matches(labels)) {
                return true;
            }
        }
        return false;
    }
}
