package dev.ferrite.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorParserTest {

    static LabelSelectorRequirement expr(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, values == null ? null : Arrays.asList(values));
    }

    static LabelSelector selector(Map<String, String> labels, LabelSelectorRequirement... expressions) {
        // Not the fabric8 builder: it turns a null expression into an empty one.
        return new LabelSelector(Arrays.asList(expressions), labels);
    }

    @Test
    void convertsMatchLabelsAndExpressions() {
        LabelSelector s = selector(Map.of("kubernetes.io/os", "linux"),
                expr("zone", "In", "a", "b"),
                expr("tier", "NotIn", "batch"),
                expr("ferrite.dev/announce", "Exists"),
                expr("node.kubernetes.io/exclude-from-external-load-balancers", "DoesNotExist"));
        Selector parsed = (Selector) assertInstanceOf(Parsed.Ok.class, SelectorParser.parse(s, "spec.nodeSelectors[0]")).value();
        assertEquals(Map.of("kubernetes.io/os", "linux"), parsed.matchLabels());
        assertEquals(List.of(
                new Selector.Requirement("zone", Selector.Operator.In, Set.of("a", "b")),
                new Selector.Requirement("tier", Selector.Operator.NotIn, Set.of("batch")),
                new Selector.Requirement("ferrite.dev/announce", Selector.Operator.Exists, Set.of()),
                new Selector.Requirement("node.kubernetes.io/exclude-from-external-load-balancers",
                        Selector.Operator.DoesNotExist, Set.of())), parsed.requirements());

        Map<String, String> node = Map.of("kubernetes.io/os", "linux", "zone", "b", "ferrite.dev/announce", "");
        assertTrue(parsed.matches(node));
        assertFalse(parsed.matches(Map.of("kubernetes.io/os", "linux", "zone", "c", "ferrite.dev/announce", "")));
        assertFalse(parsed.matches(Map.of("kubernetes.io/os", "linux", "zone", "a", "tier", "batch", "ferrite.dev/announce", "")));
        assertFalse(parsed.matches(Map.of("kubernetes.io/os", "linux", "zone", "a")));
    }

    @Test
    void anEmptySelectorSelectsEverything() {
        Parsed<Selector> parsed = SelectorParser.parse(new LabelSelector(), "spec.nodeSelectors[0]");
        assertEquals(new Parsed.Ok<>(Selector.EVERYTHING), parsed);
    }

    @Test
    void aMissingListIsEmpty() {
        assertEquals(new Parsed.Ok<>(List.of()), SelectorParser.parseList(null, "spec.nodeSelectors"));
    }

    static Stream<Arguments> badSelectors() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("app", null);
        return Stream.of(
                Arguments.of("bad label key", selector(Map.of("-app", "web")),
                        "spec.nodeSelectors[0].matchLabels", "-app", "label key name part must consist of"),
                Arguments.of("bad key prefix", selector(Map.of("Example.com/app", "web")),
                        "spec.nodeSelectors[0].matchLabels", "Example.com/app", "label key prefix part must consist of lower case"),
                Arguments.of("bad label value", selector(Map.of("app", "web server")),
                        "spec.nodeSelectors[0].matchLabels[app]", "web server", "label value must be empty or consist of"),
                Arguments.of("label value too long", selector(Map.of("app", "w".repeat(64))),
                        "spec.nodeSelectors[0].matchLabels[app]", "w".repeat(64), "no more than 63 characters"),
                Arguments.of("null label value", selector(nullValue),
                        "spec.nodeSelectors[0].matchLabels[app]", "null", "label value must not be null"),
                Arguments.of("unknown operator", selector(null, expr("zone", "Equals", "a")),
                        "spec.nodeSelectors[0].matchExpressions[0].operator", "Equals",
                        "must be one of In, NotIn, Exists, DoesNotExist"),
                Arguments.of("operator in wrong case", selector(null, expr("zone", "in", "a")),
                        "spec.nodeSelectors[0].matchExpressions[0].operator", "in", "case matters: write In"),
                Arguments.of("missing operator", selector(null, expr("zone", null, "a")),
                        "spec.nodeSelectors[0].matchExpressions[0].operator", "null", "is missing"),
                Arguments.of("In without values", selector(null, expr("zone", "In")),
                        "spec.nodeSelectors[0].matchExpressions[0].values", "[]", "operator In needs at least one value"),
                Arguments.of("NotIn with null values", selector(null, expr("zone", "NotIn", (String[]) null)),
                        "spec.nodeSelectors[0].matchExpressions[0].values", "[]", "operator NotIn needs at least one value"),
                Arguments.of("Exists with values", selector(null, expr("zone", "Exists", "a")),
                        "spec.nodeSelectors[0].matchExpressions[0].values", "[a]", "operator Exists takes no values"),
                Arguments.of("DoesNotExist with values", selector(null, expr("zone", "DoesNotExist", "a", "b")),
                        "spec.nodeSelectors[0].matchExpressions[0].values", "[a, b]", "operator DoesNotExist takes no values"),
                Arguments.of("bad expression key", selector(null, expr("zone/a/b", "Exists")),
                        "spec.nodeSelectors[0].matchExpressions[0].key", "zone/a/b", "label key must be a name optionally prefixed"),
                Arguments.of("missing expression key", selector(null, expr(null, "Exists")),
                        "spec.nodeSelectors[0].matchExpressions[0].key", "null", "label key must not be empty"),
                Arguments.of("bad expression value", selector(null, expr("zone", "In", "a", "b!")),
                        "spec.nodeSelectors[0].matchExpressions[0].values[1]", "b!", "label value must be empty or consist of"),
                Arguments.of("null expression", selector(null, (LabelSelectorRequirement) null),
                        "spec.nodeSelectors[0].matchExpressions[0]", "null", "expression is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSelectors")
    void rejectsWhatTheApiServerRejectsNamingFieldAndValue(String what, LabelSelector s, String field, String value, String problem) {
        Parsed<List<Selector>> parsed = SelectorParser.parseList(Arrays.asList(s), "spec.nodeSelectors");
        List<FieldProblem> problems = assertInstanceOf(Parsed.Rejected.class, parsed).problems();
        assertEquals(1, problems.size(), problems::toString);
        FieldProblem p = problems.get(0);
        assertEquals(field, p.field());
        assertEquals(value, p.value());
        assertTrue(p.problem().contains(problem), p.problem());
    }

    @Test
    void reportsEveryProblemOfEverySelector() {
        List<LabelSelector> list = Arrays.asList(
                selector(Map.of("-a", "x", "b", "-y"), expr("c", "Exists", "v")),
                null,
                selector(null, expr("d", "in", "v"), expr("e", "In")));
        List<FieldProblem> problems = assertInstanceOf(Parsed.Rejected.class,
                SelectorParser.parseList(list, "spec.serviceSelectors")).problems();
        assertEquals(List.of(
                "spec.serviceSelectors[0].matchLabels",
                "spec.serviceSelectors[0].matchLabels[b]",
                "spec.serviceSelectors[0].matchExpressions[0].values",
                "spec.serviceSelectors[1]",
                "spec.serviceSelectors[2].matchExpressions[0].operator",
                "spec.serviceSelectors[2].matchExpressions[1].values"),
                problems.stream().map(FieldProblem::field).toList());
    }
}
