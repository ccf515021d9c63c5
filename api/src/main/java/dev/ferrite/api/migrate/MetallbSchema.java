package dev.ferrite.api.migrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The shape of MetalLB's L2 custom resources ({@code metallb.io/v1beta1}, MetalLB 0.16, plus
 * {@code preferredNodeSelectors} from MetalLB's main branch), checked on the input tree before
 * anything is converted, so that a value of the wrong type is reported with its path, the value
 * and what was expected (as the API server would refuse it), never as a Java type.
 *
 * <p>An unknown field is an error naming the closest known one, as {@code kubectl apply}'s
 * strict field validation refuses it: a misspelt field silently pruned would change what the
 * configuration means.
 */
final class MetallbSchema {

    /** What a field holds. */
    sealed interface Type {
        String expected();
    }

    record Scalar(String name, String expected) implements Type {
    }

    record ListOf(Type element) implements Type {
        @Override
        public String expected() {
            return "a list";
        }
    }

    record MapOfStrings() implements Type {
        @Override
        public String expected() {
            return "a mapping of strings to strings";
        }
    }

    record Fields(String what, Map<String, Type> fields) implements Type {
        @Override
        public String expected() {
            return "a mapping (" + what + ")";
        }
    }

    static final Scalar STRING = new Scalar("string", "a string");
    static final Scalar BOOLEAN = new Scalar("boolean", "true or false (a YAML boolean, not quoted)");
    static final Scalar INTEGER = new Scalar("integer", "a whole number (not quoted)");

    static final Fields LABEL_SELECTOR = fields("a label selector",
            "matchLabels", new MapOfStrings(),
            "matchExpressions", new ListOf(fields("a label selector requirement",
                    "key", STRING, "operator", STRING, "values", new ListOf(STRING))));

    static final Fields POOL_SPEC = fields("IPAddressPool spec",
            "addresses", new ListOf(STRING),
            "autoAssign", BOOLEAN,
            "avoidBuggyIPs", BOOLEAN,
            "serviceAllocation", fields("serviceAllocation",
                    "priority", INTEGER,
                    "namespaces", new ListOf(STRING),
                    "namespaceSelectors", new ListOf(LABEL_SELECTOR),
                    "serviceSelectors", new ListOf(LABEL_SELECTOR)));

    static final Fields ADVERTISEMENT_SPEC = fields("L2Advertisement spec",
            "ipAddressPools", new ListOf(STRING),
            "ipAddressPoolSelectors", new ListOf(LABEL_SELECTOR),
            "nodeSelectors", new ListOf(LABEL_SELECTOR),
            "interfaces", new ListOf(STRING),
            "serviceSelectors", new ListOf(LABEL_SELECTOR),
            "preferredNodeSelectors", new ListOf(fields("a preferred node selector",
                    "weight", INTEGER, "preference", LABEL_SELECTOR)));

    static final Fields METADATA = fields("metadata",
            "name", STRING, "namespace", STRING, "labels", new MapOfStrings(), "annotations", new MapOfStrings());

    private MetallbSchema() {
    }

    static Fields fields(String what, Object... pairs) {
        Map<String, Type> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Type) pairs[i + 1]);
        }
        return new Fields(what, map);
    }

    /** Every field path below {@code type}, e.g. {@code serviceAllocation.priority}, depth first. */
    static List<String> paths(Fields type) {
        List<String> out = new ArrayList<>();
        collect(type, "", out);
        return out;
    }

    private static void collect(Type type, String prefix, List<String> out) {
        Type t = type instanceof ListOf l ? l.element() : type;
        if (t instanceof Fields f && f != LABEL_SELECTOR) {
            for (Map.Entry<String, Type> e : f.fields().entrySet()) {
                String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                out.add(path);
                collect(e.getValue(), path, out);
            }
        }
    }

    /** A problem at {@code field} (a path such as {@code spec.addresses[1]}). */
    record Problem(String field, String message) {
    }

    /**
     * Checks {@code value} against {@code type}, adding a problem per misfit. {@code null}
     * stands for "not set" as the API server reads it. Known fields of metadata are checked;
     * other metadata (uid, resourceVersion, managedFields …) is the API server's and ignored.
     */
    static void check(JsonNode value, Type type, String path, List<Problem> problems) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (type instanceof Scalar s) {
                boolean ok = switch (s.name()) {
                    case "string" -> value.isString();
                    case "boolean" -> value.isBoolean();
                    default -> value.isIntegralNumber() && value.canConvertToInt();
                };
                if (!ok) {
                    problems.add(new Problem(path, show(value) + " is " + describe(value) + "; expected " + s.expected()
                            + hint(value, s)));
                }
        } else if (type instanceof ListOf l) {
                if (!value.isArray()) {
                    problems.add(new Problem(path, show(value) + " is " + describe(value) + "; expected a list of "
                            + plural(l.element()) + (value.isString() ? " (write [" + value.stringValue() + "] or one "
                            + "entry per line starting with -)" : "")));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    JsonNode element = value.get(i);
                    if (element.isNull()) {
                        problems.add(new Problem(path + "[" + i + "]", "null is not " + l.element().expected()));
                        continue;
                    }
                    check(element, l.element(), path + "[" + i + "]", problems);
                }
        } else if (type instanceof MapOfStrings m) {
                if (!value.isObject()) {
                    problems.add(new Problem(path, show(value) + " is " + describe(value) + "; expected " + m.expected()));
                    return;
                }
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    if (!e.getValue().isString()) {
                        problems.add(new Problem(path + "[" + e.getKey() + "]", show(e.getValue()) + " is "
                                + describe(e.getValue()) + "; expected a string" + stringHint(e.getValue())));
                    }
                }
        } else if (type instanceof Fields f) {
                if (!value.isObject()) {
                    problems.add(new Problem(path, show(value) + " is " + describe(value) + "; expected " + f.expected()));
                    return;
                }
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                    Type known = f.fields().get(e.getKey());
                    if (known == null) {
                        if (f == METADATA) {
                            continue;
                        }
                        problems.add(new Problem(field, unknownField(e.getKey(), f)));
                        continue;
                    }
                    check(e.getValue(), known, field, problems);
                }
        }
    }

    static String unknownField(String name, Fields f) {
        String known = String.join(", ", f.fields().keySet());
        return "unknown field \"" + name + "\"" + didYouMean(name, f.fields().keySet()).map(s -> "; did you mean \"" + s + "\"?")
                .orElse("") + " (" + f.what() + " fields are " + known + ")";
    }

    /** The known name closest to {@code name}, when it is close enough to be a typo. */
    static Optional<String> didYouMean(String name, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, with an adjacent swap counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** A value as the operator wrote it, shortened. */
    static String show(JsonNode value) {
        String text = value.isString() ? "\"" + value.stringValue() + "\"" : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    static String describe(JsonNode value) {
        if (value.isString()) {
            return "a string";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToInt() ? "a whole number" : "a number too large";
        }
        if (value.isNumber()) {
            return "a number with a fraction";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return "null";
    }

    /**
     * Why a value that looks like text is not a string: kubectl reads unquoted {@code yes},
     * {@code no}, {@code on}, {@code off}, {@code y}, {@code n} as booleans (YAML 1.1) and
     * {@code 017}, {@code 0x1F} as numbers, so the API server would refuse it the same way.
     */
    static String stringHint(JsonNode value) {
        if (value.isBoolean()) {
            return " (unquoted, true/false and YAML 1.1's yes/no/on/off/y/n are booleans to kubectl too; quote the value)";
        }
        if (value.isNumber()) {
            return " (unquoted, it is a number to kubectl too; quote the value)";
        }
        if (value.isNull()) {
            return " (unquoted ~, null and an empty value are null; quote the value)";
        }
        return "";
    }

    private static String hint(JsonNode value, Scalar s) {
        if (s == STRING) {
            return stringHint(value);
        }
        if (s == BOOLEAN && value.isString()
                && (value.stringValue().equalsIgnoreCase("true") || value.stringValue().equalsIgnoreCase("false"))) {
            return " (write " + value.stringValue().toLowerCase() + " without quotes)";
        }
        if (s == INTEGER && value.isString() && value.stringValue().strip().matches("-?\\d+")) {
            return " (write " + value.stringValue().strip() + " without quotes)";
        }
        return "";
    }

    private static String plural(Type element) {
        if (element instanceof Scalar s) {
            return s.name() + "s";
        }
        if (element instanceof Fields f) {
            return f.what().replaceFirst("^an? ", "") + "s";
        }
        return "values";
    }
}
