package dev.ferrite.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesNamesTest {

    static final String C63 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String C64 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest(name = "label key \"{0}\" is valid")
    @ValueSource(strings = {
            "app", "App", "a", "app.kubernetes.io/name", "kubernetes.io/hostname", "node-role.kubernetes.io/control-plane",
            "example.com/a_b.c-d", "x/y", "node.kubernetes.io/exclude-from-external-load-balancers", "1abc", "a_b",
    })
    void acceptsQualifiedNames(String key) {
        assertEquals(Optional.empty(), KubernetesNames.qualifiedNameProblem(key));
    }

    @ParameterizedTest(name = "label key \"{0}\": {1}")
    @CsvSource(delimiter = '|', value = {
            "''                | must not be empty",
            "-app              | name part must consist of letters",
            "app-              | name part must consist of letters",
            "a b               | name part must consist of letters",
            "app!              | name part must consist of letters",
            "/app              | prefix part before '/' must not be empty",
            "example.com/      | name part must not be empty",
            "a/b/c             | optionally prefixed by a DNS subdomain and one '/'",
            "Example.com/app   | prefix part must consist of lower case letters",
            "exa_mple.com/app  | prefix part must consist of lower case letters",
            "-example.com/app  | prefix part must consist of lower case letters",
            "ex..ample.com/app | prefix part must consist of lower case letters",
            "ápp               | name part must consist of letters",
    })
    void rejectsKeysTheApiServerRejects(String key, String problem) {
        String actual = KubernetesNames.qualifiedNameProblem(key).orElseThrow();
        assertTrue(actual.contains(problem), actual);
    }

    @ParameterizedTest(name = "[{index}] qualified name valid: {1}")
    @MethodSource("lengthLimits")
    void enforcesLengthLimits(String text, boolean qualifiedOk) {
        assertEquals(qualifiedOk, KubernetesNames.qualifiedNameProblem(text).isEmpty(), text);
    }

    static Stream<Arguments> lengthLimits() {
        String label = "a".repeat(63);
        String prefix253 = String.join(".", label, label, label, "a".repeat(61));
        String prefix254 = String.join(".", label, label, label, "a".repeat(62));
        return Stream.of(
                Arguments.of(C63, true),
                Arguments.of(C64, false),
                Arguments.of(prefix253 + "/" + C63, true),
                Arguments.of(prefix254 + "/app", false));
    }

    @ParameterizedTest(name = "label value \"{0}\" is valid")
    @ValueSource(strings = {"", "web", "Web", "v1.2.3", "a_b-c.d", "0", C63})
    void acceptsLabelValuesIncludingEmpty(String value) {
        assertEquals(Optional.empty(), KubernetesNames.labelValueProblem(value));
    }

    @ParameterizedTest(name = "label value \"{0}\" is invalid")
    @ValueSource(strings = {"-web", "web-", ".web", "web.", "a b", "a/b", "a:b", "ä", C64})
    void rejectsLabelValuesTheApiServerRejects(String value) {
        assertTrue(KubernetesNames.labelValueProblem(value).isPresent(), value);
    }

    @ParameterizedTest(name = "namespace \"{0}\" valid: {1}")
    @CsvSource({
            "default, true", "kube-system, true", "a, true", "1team, true", "team-1, true",
            "Team, false", "team_1, false", "team.one, false", "-team, false", "team-, false", "'', false",
    })
    void namespacesAreDns1123Labels(String name, boolean valid) {
        assertEquals(valid, KubernetesNames.dns1123LabelProblem(name).isEmpty());
    }

    @Test
    void namespaceNamesStopAt63Characters() {
        assertTrue(KubernetesNames.dns1123LabelProblem(C63).isEmpty());
        assertTrue(KubernetesNames.dns1123LabelProblem(C64).orElseThrow().contains("no more than 63"));
    }
}
