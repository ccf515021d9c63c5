package dev.ferrite.api.config;

import static dev.ferrite.api.config.ConfigParserTest.advertisement;
import static dev.ferrite.api.config.ConfigParserTest.invalid;
import static dev.ferrite.api.config.ConfigParserTest.matchExpression;
import static dev.ferrite.api.config.ConfigParserTest.matchLabels;
import static dev.ferrite.api.config.ConfigParserTest.pool;
import static dev.ferrite.api.config.ConfigParserTest.poolWithAllocation;
import static dev.ferrite.api.config.ConfigParserTest.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.PreferredNodeSelector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The validation decisions of docs/configuration.md ("Where Ferrite agrees with MetalLB"), case by case. */
class ConfigParserParityTest {

    private static final IPAddressPool FIRST = pool("first-pool", "192.168.1.240/28");

    static Stream<Arguments> duplicates() {
        LabelSelector nodeA = matchLabels(Map.of("kubernetes.io/hostname", "NodeA"));
        return Stream.of(
                Arguments.of("ipAddressPools", advertisement("example", s -> s.setIpAddressPools(List.of("first-pool", "first-pool"))),
                        "spec.ipAddressPools[1]", "pool is listed twice"),
                Arguments.of("nodeSelectors", advertisement("example", s -> s.setNodeSelectors(List.of(nodeA, nodeA))),
                        "spec.nodeSelectors[1]", "selector is listed twice (also at spec.nodeSelectors[0])"),
                Arguments.of("serviceSelectors", advertisement("example", s -> s.setServiceSelectors(List.of(nodeA, nodeA))),
                        "spec.serviceSelectors[1]", "selector is listed twice"),
                Arguments.of("ipAddressPoolSelectors", advertisement("example",
                        s -> s.setIpAddressPoolSelectors(List.of(nodeA, nodeA))), "spec.ipAddressPoolSelectors[1]", "listed twice"),
                Arguments.of("selector values", advertisement("example", s -> s.setNodeSelectors(List.of(
                        matchExpression("zone", "In", "east", "east")))),
                        "spec.nodeSelectors[0].matchExpressions[0].values[1]", "value is listed twice"),
                Arguments.of("match expressions", advertisement("example", s -> {
                    LabelSelector once = matchExpression("zone", "Exists");
                    s.setNodeSelectors(List.of(new LabelSelector(List.of(once.getMatchExpressions().get(0),
                            once.getMatchExpressions().get(0)), null)));
                }), "spec.nodeSelectors[0].matchExpressions[1]", "expression is listed twice"));
    }

    @ParameterizedTest(name = "a duplicate in {0} is refused")
    @MethodSource("duplicates")
    void duplicatesAreRefusedAsMetallbRefusesThem(String what, L2Advertisement ad, String field, String problem) {
        List<ConfigError> errors = invalid(List.of(FIRST), List.of(ad));
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(field, errors.get(0).field());
        assertTrue(errors.get(0).problem().contains(problem), errors::toString);
    }

    @Test
    void duplicateNamespaceSelectorsOfAPoolAreRefused() {
        LabelSelector team = matchLabels(Map.of("team", "a"));
        List<ConfigError> errors = invalid(List.of(poolWithAllocation("p", sa -> sa.setNamespaceSelectors(List.of(team, team)))),
                List.of());
        assertEquals("spec.serviceAllocation.namespaceSelectors[1]", errors.get(0).field());
    }

    @Test
    void whitespaceAroundAnAddressIsIgnored() {
        valid(List.of(pool("p", " 192.168.1.240/28 ", "192.168.2.1 - 192.168.2.9")), List.of());
    }

    static Stream<Arguments> preferences() {
        LabelSelector nodeA = matchLabels(Map.of("kubernetes.io/hostname", "NodeA"));
        return Stream.of(
                Arguments.of(new PreferredNodeSelector(0, nodeA), "spec.preferredNodeSelectors[0].weight", "must be from 1 to 100"),
                Arguments.of(new PreferredNodeSelector(101, nodeA), "spec.preferredNodeSelectors[0].weight", "must be from 1 to 100"),
                Arguments.of(new PreferredNodeSelector(null, nodeA), "spec.preferredNodeSelectors[0].weight", "is required"),
                Arguments.of(new PreferredNodeSelector(5, null), "spec.preferredNodeSelectors[0].preference", "is required"),
                Arguments.of(new PreferredNodeSelector(5, matchExpression("zone", "in", "a")),
                        "spec.preferredNodeSelectors[0].preference.matchExpressions[0].operator", "case matters"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("preferences")
    void aBadPreferenceIsRefusedWithItsPath(PreferredNodeSelector p, String field, String problem) {
        List<ConfigError> errors = invalid(List.of(FIRST), List.of(advertisement("example", s -> s.setPreferredNodeSelectors(List.of(p)))));
        assertEquals(field, errors.get(0).field(), errors::toString);
        assertTrue(errors.get(0).problem().contains(problem), errors::toString);
    }

    @Test
    void preferencesAndRefreshReachTheValidatedAdvertisement() {
        Config config = valid(List.of(FIRST), List.of(advertisement("example", s -> {
            s.setPreferredNodeSelectors(List.of(new PreferredNodeSelector(30, matchLabels(Map.of("zone", "a")))));
            s.setGarpRefresh("1m30s");
        })));
        Advertisement a = config.advertisements().get(0);
        assertEquals(30, a.preferenceScore(Map.of("zone", "a")));
        assertEquals(0, a.preferenceScore(Map.of("zone", "b")));
        assertEquals(Optional.of(Duration.ofSeconds(90)), a.garpRefresh());
    }

    static Stream<Arguments> refreshes() {
        return Stream.of(
                Arguments.of("500ms", "must be at least 1s"),
                Arguments.of("0s", "must be at least 1s"),
                Arguments.of("30", "is not a duration"),
                Arguments.of("-5s", "is not a duration"),
                Arguments.of("soon", "is not a duration"));
    }

    @ParameterizedTest(name = "garpRefresh {0}")
    @MethodSource("refreshes")
    void aRefreshShorterThanOneSecondOrUnreadableIsRefused(String value, String problem) {
        List<ConfigError> errors = invalid(List.of(FIRST), List.of(advertisement("example", s -> s.setGarpRefresh(value))));
        assertEquals("spec.garpRefresh", errors.get(0).field());
        assertTrue(errors.get(0).problem().contains(problem), errors::toString);
    }
}
