package dev.ferrite.api.config;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Converts fabric8 {@link LabelSelector}s into validated {@link Selector}s with the API
 * server's rules: keys are qualified names, values are label values, the operator is one of
 * In, NotIn, Exists, DoesNotExist (case matters), In/NotIn need at least one value and
 * Exists/DoesNotExist take none. Every problem is reported with its field path, e.g.
 * {@code spec.nodeSelectors[0].matchExpressions[1].operator}.
 */
public final class SelectorParser {

    private SelectorParser() {
    }

    /** One selector found at {@code field} (e.g. {@code spec.nodeSelectors[0]}). */
    public static Parsed<Selector> parse(LabelSelector selector, String field) {
        List<FieldProblem> problems = new ArrayList<>();
        Selector parsed = convert(selector, field, problems);
        return problems.isEmpty() ? new Parsed.Ok<>(parsed) : new Parsed.Rejected<>(problems);
    }

    /**
     * A list of selectors found at {@code field} (e.g. {@code spec.nodeSelectors}); a missing
     * list is empty. Whether an empty list means "everything" is up to the caller.
     */
    public static Parsed<List<Selector>> parseList(List<LabelSelector> selectors, String field) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Selector> parsed = convertList(selectors, field, problems);
        return problems.isEmpty() ? new Parsed.Ok<>(parsed) : new Parsed.Rejected<>(problems);
    }

    static List<Selector> convertList(List<LabelSelector> selectors, String field, List<FieldProblem> problems) {
        List<Selector> out = new ArrayList<>();
        if (selectors == null) {
            return out;
        }
        for (int i = 0; i < selectors.size(); i++) {
            int before = problems.size();
            Selector s = convert(selectors.get(i), field + "[" + i + "]", problems);
            int twin = out.indexOf(s);
            if (problems.size() == before && twin >= 0) {
                // MetalLB rejects a selector listed twice; it is a copy-paste slip more often than meant.
                problems.add(new FieldProblem(field + "[" + i + "]", describe(s),
                        "selector is listed twice (also at " + field + "[" + twin + "])"));
            }
            out.add(s);
        }
        return out;
    }

    static Selector convert(LabelSelector selector, String field, List<FieldProblem> problems) {
        if (selector == null) {
            problems.add(new FieldProblem(field, "null", "selector entry is empty; write {} to select everything"));
            return Selector.EVERYTHING;
        }
        Map<String, String> labels = new TreeMap<>();
        if (selector.getMatchLabels() != null) {
            // Sorted so that problems come out in the same order every time.
            Map<String, String> sorted = new TreeMap<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
            sorted.putAll(selector.getMatchLabels());
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                String key = e.getKey();
                Optional<String> keyProblem = KubernetesNames.qualifiedNameProblem(key);
                if (keyProblem.isPresent()) {
                    problems.add(new FieldProblem(field + ".matchLabels", String.valueOf(key),
                            "label key " + keyProblem.get()));
                    continue;
                }
                Optional<String> valueProblem = KubernetesNames.labelValueProblem(e.getValue());
                if (valueProblem.isPresent()) {
                    problems.add(new FieldProblem(field + ".matchLabels[" + key + "]", String.valueOf(e.getValue()),
                            "label value " + valueProblem.get()));
                    continue;
                }
                labels.put(key, e.getValue());
            }
        }
        List<Selector.Requirement> requirements = new ArrayList<>();
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (int i = 0; i < expressions.size(); i++) {
                String f = field + ".matchExpressions[" + i + "]";
                Optional<Selector.Requirement> r = requirement(expressions.get(i), f, problems);
                if (r.isPresent() && requirements.contains(r.get())) {
                    problems.add(new FieldProblem(f, r.get().key(), "expression is listed twice"));
                    continue;
                }
                r.ifPresent(requirements::add);
            }
        }
        return new Selector(labels, requirements);
    }

    private static Optional<Selector.Requirement> requirement(
            LabelSelectorRequirement r, String field, List<FieldProblem> problems) {
        if (r == null) {
            problems.add(new FieldProblem(field, "null", "expression is empty; it needs a key and an operator"));
            return Optional.empty();
        }
        int before = problems.size();
        String key = r.getKey();
        Optional<String> keyProblem = KubernetesNames.qualifiedNameProblem(key);
        keyProblem.ifPresent(p -> problems.add(new FieldProblem(field + ".key", String.valueOf(key), "label key " + p)));

        Optional<Selector.Operator> operator = operator(r.getOperator());
        if (operator.isEmpty()) {
            problems.add(new FieldProblem(field + ".operator", String.valueOf(r.getOperator()), operatorProblem(r.getOperator())));
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        if (operator.isPresent()) {
            switch (operator.get()) {
                case In, NotIn -> {
                    if (values.isEmpty()) {
                        problems.add(new FieldProblem(field + ".values", "[]",
                                "operator " + operator.get() + " needs at least one value"));
                    }
                }
                case Exists, DoesNotExist -> {
                    if (!values.isEmpty()) {
                        problems.add(new FieldProblem(field + ".values", values.toString(),
                                "operator " + operator.get() + " takes no values; remove them"));
                    }
                }
            }
        }
        Set<String> valueSet = new HashSet<>();
        for (int j = 0; j < values.size(); j++) {
            String v = values.get(j);
            Optional<String> valueProblem = KubernetesNames.labelValueProblem(v);
            if (valueProblem.isPresent()) {
                problems.add(new FieldProblem(field + ".values[" + j + "]", String.valueOf(v), "label value " + valueProblem.get()));
            } else if (!valueSet.add(v)) {
                problems.add(new FieldProblem(field + ".values[" + j + "]", v, "value is listed twice"));
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Selector.Requirement(key, operator.get(), valueSet));
    }

    /** A selector in kubectl's {@code -l} syntax ({@code zone=a,tier in (edge)}), for a message. */
    static String describe(Selector s) {
        List<String> parts = new ArrayList<>();
        s.matchLabels().forEach((k, v) -> parts.add(k + "=" + v));
        for (Selector.Requirement r : s.requirements()) {
            parts.add(switch (r.operator()) {
                case In -> r.key() + " in (" + String.join(",", r.values()) + ")";
                case NotIn -> r.key() + " notin (" + String.join(",", r.values()) + ")";
                case Exists -> r.key();
                case DoesNotExist -> "!" + r.key();
            });
        }
        return parts.isEmpty() ? "{}" : String.join(",", parts);
    }

    private static Optional<Selector.Operator> operator(String text) {
        for (Selector.Operator op : Selector.Operator.values()) {
            if (op.name().equals(text)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    private static String operatorProblem(String text) {
        String allowed = "must be one of In, NotIn, Exists, DoesNotExist";
        if (text == null || text.isEmpty()) {
            return "is missing; " + allowed;
        }
        for (Selector.Operator op : Selector.Operator.values()) {
            if (op.name().equalsIgnoreCase(text)) {
                return allowed + " (case matters: write " + op.name() + ")";
            }
        }
        return allowed;
    }
}
