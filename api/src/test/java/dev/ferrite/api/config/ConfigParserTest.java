package dev.ferrite.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.api.net.IpRange;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import dev.ferrite.api.v1beta1.ServiceAllocation;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {

    // ---- fixtures ----

    static ObjectMeta meta(String name, Map<String, String> labels) {
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace("ferrite-system");
        m.setLabels(labels);
        return m;
    }

    static IPAddressPool pool(String name, String... addresses) {
        return pool(name, Map.of(), spec -> spec.setAddresses(Arrays.asList(addresses)));
    }

    static IPAddressPool pool(String name, Map<String, String> labels, Consumer<IPAddressPoolSpec> edit) {
        IPAddressPool p = new IPAddressPool();
        p.setMetadata(meta(name, labels));
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAutoAssign(null);
        spec.setAvoidBuggyIPs(null);
        edit.accept(spec);
        p.setSpec(spec);
        return p;
    }

    static IPAddressPool poolWithAllocation(String name, Consumer<ServiceAllocation> edit) {
        ServiceAllocation sa = new ServiceAllocation();
        edit.accept(sa);
        return pool(name, Map.of(), spec -> {
            spec.setAddresses(List.of("198.18.0.0/28"));
            spec.setServiceAllocation(sa);
        });
    }

    static L2Advertisement advertisement(String name, Consumer<L2AdvertisementSpec> edit) {
        L2Advertisement a = new L2Advertisement();
        a.setMetadata(meta(name, null));
        L2AdvertisementSpec spec = new L2AdvertisementSpec();
        edit.accept(spec);
        a.setSpec(spec);
        return a;
    }

    static LabelSelector matchLabels(Map<String, String> labels) {
        return new LabelSelector(null, labels);
    }

    static LabelSelector matchExpression(String key, String operator, String... values) {
        return new LabelSelector(List.of(new LabelSelectorRequirement(key, operator, Arrays.asList(values))), null);
    }

    static IpRange range(String first, String last) {
        return new IpRange(IpAddress.parse(first).orElseThrow(), IpAddress.parse(last).orElseThrow());
    }

    static Config valid(List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        ConfigResult result = ConfigParser.parse(pools, advertisements);
        return assertInstanceOf(ConfigResult.Valid.class, result, result::toString).config();
    }

    static List<ConfigError> invalid(List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        ConfigResult result = ConfigParser.parse(pools, advertisements);
        return assertInstanceOf(ConfigResult.Invalid.class, result, result::toString).errors();
    }

    static ConfigError onlyError(List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        List<ConfigError> errors = invalid(pools, advertisements);
        assertEquals(1, errors.size(), errors::toString);
        return errors.get(0);
    }

    static void assertError(ConfigError e, String kind, String name, String field, String value, String problem) {
        assertEquals(kind, e.kind(), e::message);
        assertEquals(name, e.name(), e::message);
        assertEquals(field, e.field(), e::message);
        assertEquals(value, e.value(), e::message);
        assertTrue(e.problem().contains(problem), () -> "\"" + e.problem() + "\" should contain \"" + problem + "\"");
    }

    // ---- pools ----

    @Test
    void aPoolGetsDefaultsAndSortedRanges() {
        Config config = valid(List.of(pool("lab", "2001:db8::/120", "198.18.0.100-198.18.0.110", "198.18.0.0/28")), List.of());
        Pool lab = config.pools().get("lab");
        assertEquals(new Pool("lab", Map.of(),
                List.of(range("198.18.0.0", "198.18.0.15"), range("198.18.0.100", "198.18.0.110"),
                        range("2001:db8::", "2001:db8::ff")),
                true, false, Optional.empty()), lab);
    }

    @ParameterizedTest(name = "autoAssign={0} avoidBuggyIPs={1} gives {2} {3}")
    @CsvSource({
            ",      ,      true,  false",
            "true,  true,  true,  true",
            "false, false, false, false",
            "false, ,      false, false",
            ",      true,  true,  true",
    })
    void explicitFlagsWinOverDefaults(Boolean autoAssign, Boolean avoidBuggyIPs, boolean expectedAuto, boolean expectedBuggy) {
        Config config = valid(List.of(pool("lab", Map.of(), spec -> {
            spec.setAddresses(List.of("198.18.0.0/28"));
            spec.setAutoAssign(autoAssign);
            spec.setAvoidBuggyIPs(avoidBuggyIPs);
        })), List.of());
        assertEquals(expectedAuto, config.pools().get("lab").autoAssign());
        assertEquals(expectedBuggy, config.pools().get("lab").avoidBuggyIPs());
    }

    static Stream<Arguments> validAddressLists() {
        return Stream.of(
                Arguments.of(List.of("198.18.0.0/24"), List.of(range("198.18.0.0", "198.18.0.255"))),
                Arguments.of(List.of("198.18.0.77/24"), List.of(range("198.18.0.0", "198.18.0.255"))),
                Arguments.of(List.of("198.18.0.10/32", "198.18.0.12-198.18.0.12"),
                        List.of(range("198.18.0.10", "198.18.0.10"), range("198.18.0.12", "198.18.0.12"))),
                Arguments.of(List.of("198.18.0.20 - 198.18.0.29", "198.18.0.10-198.18.0.19"),
                        List.of(range("198.18.0.10", "198.18.0.19"), range("198.18.0.20", "198.18.0.29"))),
                Arguments.of(List.of("2001:db8::1/128", "2001:db8:0:0:0:0:0:2-2001:DB8::2"),
                        List.of(range("2001:db8::1", "2001:db8::1"), range("2001:db8::2", "2001:db8::2"))),
                Arguments.of(List.of("2001:db8:1::/64"),
                        List.of(range("2001:db8:1::", "2001:db8:1::ffff:ffff:ffff:ffff"))),
                Arguments.of(List.of("2001:db8::abcd/120", "198.18.0.0/31"),
                        List.of(range("198.18.0.0", "198.18.0.1"), range("2001:db8::ab00", "2001:db8::abff"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validAddressLists")
    void acceptsEveryAddressForm(List<String> addresses, List<IpRange> ranges) {
        Config config = valid(List.of(pool("lab", addresses.toArray(String[]::new))), List.of());
        assertEquals(ranges, config.pools().get("lab").ranges());
    }

    @ParameterizedTest(name = "\"{1}\" at index {0}: {2}")
    @CsvSource(delimiter = '|', value = {
            "1 | 198.18.1.1                | write 198.18.1.1/32",
            "1 | 2001:db8:1::1             | write 2001:db8:1::1/128",
            "1 | 198.18.1.9-198.18.1.1     | range is reversed",
            "1 | 2001:db8:1::9-2001:db8:1::1 | range is reversed",
            "1 | 198.18.1.1-2001:db8:1::1  | range mixes IPv4 and IPv6",
            "1 | 198.18.1.0/33             | prefix length \"33\"",
            "1 | 2001:db8:1::/129          | prefix length \"129\"",
            "1 | 198.18.1.0/2x             | prefix length \"2x\"",
            "1 | localhost/32              | \"localhost\" is not an IP address",
            "1 | not-an-address            | is not an IP address, CIDR or range (a range has one '-')",
            "1 | hello                     | is not an IP address, CIDR or range",
            "1 | ''                        | is empty",
    })
    void rejectsBadAddressesNamingPoolFieldAndValue(int index, String bad, String problem) {
        ConfigError e = onlyError(List.of(pool("lab", "198.18.0.0/24", bad)), List.of());
        assertError(e, "IPAddressPool", "lab", "spec.addresses[" + index + "]", bad, problem);
        assertTrue(e.message().startsWith("IPAddressPool lab: spec.addresses[1] \"" + bad + "\": "), e.message());
    }

    @Test
    void aNullAddressEntryIsReportedNotThrown() {
        IPAddressPool p = pool("lab", Map.of(), spec -> spec.setAddresses(Arrays.asList("198.18.0.0/24", null)));
        assertError(onlyError(List.of(p), List.of()), "IPAddressPool", "lab", "spec.addresses[1]", "null", "is empty");
    }

    @Test
    void aPoolNeedsAddresses() {
        IPAddressPool empty = pool("empty");
        IPAddressPool missing = pool("missing", Map.of(), spec -> spec.setAddresses(null));
        IPAddressPool noSpec = pool("nospec");
        noSpec.setSpec(null);
        List<ConfigError> errors = invalid(List.of(missing, noSpec, empty), List.of());
        assertEquals(List.of("empty", "missing", "nospec"), errors.stream().map(ConfigError::name).toList());
        for (ConfigError e : errors) {
            assertError(e, "IPAddressPool", e.name(), "spec.addresses", "[]", "a pool needs at least one address");
        }
    }

    // ---- overlaps ----

    static Stream<Arguments> overlapsInsideOnePool() {
        return Stream.of(
                Arguments.of(List.of("198.18.0.0/24", "198.18.0.128/25"), 1, 0, "198.18.0.128-198.18.0.255"),
                Arguments.of(List.of("198.18.0.10-198.18.0.20", "198.18.0.20-198.18.0.30"), 1, 0, "198.18.0.20"),
                Arguments.of(List.of("198.18.0.5/32", "198.18.0.0/24"), 0, 1, "198.18.0.5"),
                Arguments.of(List.of("198.18.0.0/24", "198.18.0.0/24"), 1, 0, "198.18.0.0-198.18.0.255"),
                Arguments.of(List.of("2001:db8::/64", "2001:db8::1:0/112"), 1, 0, "2001:db8::1:0-2001:db8::1:ffff"),
                Arguments.of(List.of("2001:db8::5-2001:db8::9", "2001:db8::9/128"), 1, 0, "2001:db8::9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlapsInsideOnePool")
    void rangesOfOnePoolMustNotOverlap(List<String> addresses, int reported, int other, String shared) {
        ConfigError e = onlyError(List.of(pool("lab", addresses.toArray(String[]::new))), List.of());
        assertError(e, "IPAddressPool", "lab", "spec.addresses[" + reported + "]", addresses.get(reported),
                "overlaps spec.addresses[" + other + "] \"" + addresses.get(other) + "\" of the same pool (both hold "
                        + shared + ")");
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
            "198.18.0.0/24, 198.18.0.255-198.18.1.10, 198.18.0.255",
            "198.18.0.0/23, 198.18.1.0/24, 198.18.1.0-198.18.1.255",
            "198.18.0.0/24, 198.18.0.77/32, 198.18.0.77",
            "198.18.0.0/24, 198.18.0.7/24, 198.18.0.0-198.18.0.255",
            "2001:db8::/120, 2001:db8::ff/128, 2001:db8::ff",
            "2001:db8::/64, 2001:db8::ab:0-2001:db8::ab:ff, 2001:db8::ab:0-2001:db8::ab:ff",
    })
    void rangesOfTwoPoolsMustNotOverlapAndBothPoolsAreTold(String first, String second, String shared) {
        List<ConfigError> errors = invalid(List.of(pool("blue", second), pool("apricot", first)), List.of());
        assertEquals(2, errors.size(), errors::toString);
        assertError(errors.get(0), "IPAddressPool", "apricot", "spec.addresses[0]", first,
                "overlaps IPAddressPool blue spec.addresses[0] \"" + second + "\" (both hold " + shared + ")");
        assertError(errors.get(1), "IPAddressPool", "blue", "spec.addresses[0]", second,
                "overlaps IPAddressPool apricot spec.addresses[0] \"" + first + "\" (both hold " + shared + ")");
    }

    @Test
    void anIpv4MappedRangeIsIpv4AndOverlapsTheSameIpv4Range() {
        // MetalLB parity: Go's net package treats ::ffff:10.0.0.0/104 as 10.0.0.0/8.
        List<ConfigError> errors = invalid(List.of(pool("v4", "10.0.0.0/8"), pool("mapped", "::ffff:10.0.0.0/104")), List.of());
        assertEquals(2, errors.size(), errors::toString);
        assertTrue(errors.get(0).problem().contains("both hold 10.0.0.0-10.255.255.255"), errors::toString);
    }

    @Test
    void adjacentRangesAndDifferentFamiliesDoNotOverlap() {
        Config config = valid(List.of(
                pool("a", "198.18.0.0/25", "2001:db8::/64"),
                pool("b", "198.18.0.128-198.18.0.255", "2001:db8:0:1::/64"),
                pool("c", "198.18.1.0/32", "::ffff:198.18.2.0/120")), List.of());
        assertEquals(Set.of("a", "b", "c"), config.pools().keySet());
    }

    @Test
    void everyRangeOverlappingAnEarlierOneIsReported() {
        // The sweep compares with the range reaching furthest, so c is caught by a even though
        // b (which ends earlier) sorts between them.
        List<ConfigError> errors = invalid(List.of(
                pool("a", "198.18.0.0-198.18.0.100"),
                pool("b", "198.18.0.10-198.18.0.20"),
                pool("c", "198.18.0.50-198.18.0.60"),
                pool("d", "198.18.0.101-198.18.0.200")), List.of());
        assertEquals(4, errors.size(), errors::toString);
        assertError(errors.get(0), "IPAddressPool", "a", "spec.addresses[0]", "198.18.0.0-198.18.0.100",
                "overlaps IPAddressPool b spec.addresses[0] \"198.18.0.10-198.18.0.20\" (both hold 198.18.0.10-198.18.0.20)");
        assertError(errors.get(1), "IPAddressPool", "a", "spec.addresses[0]", "198.18.0.0-198.18.0.100",
                "overlaps IPAddressPool c spec.addresses[0] \"198.18.0.50-198.18.0.60\" (both hold 198.18.0.50-198.18.0.60)");
        assertError(errors.get(2), "IPAddressPool", "b", "spec.addresses[0]", "198.18.0.10-198.18.0.20",
                "overlaps IPAddressPool a spec.addresses[0] \"198.18.0.0-198.18.0.100\"");
        assertError(errors.get(3), "IPAddressPool", "c", "spec.addresses[0]", "198.18.0.50-198.18.0.60",
                "overlaps IPAddressPool a spec.addresses[0] \"198.18.0.0-198.18.0.100\"");
    }

    @Test
    void findsTheOneOverlapAmongThousandsOfRanges() {
        List<IPAddressPool> pools = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            pools.add(pool("p" + i, "198.18." + (i / 64) + "." + (i % 64) * 4 + "/30"));
        }
        pools.add(pool("intruder", "198.18.31.2/32"));
        Collections.shuffle(pools, new Random(7));
        List<ConfigError> errors = invalid(pools, List.of());
        assertEquals(2, errors.size(), errors::toString);
        // 198.18.31.0/30 is pool 31*64 = 1984; "intruder" sorts before "p…".
        assertError(errors.get(0), "IPAddressPool", "intruder", "spec.addresses[0]", "198.18.31.2/32",
                "overlaps IPAddressPool p1984 spec.addresses[0] \"198.18.31.0/30\" (both hold 198.18.31.2)");
        assertError(errors.get(1), "IPAddressPool", "p1984", "spec.addresses[0]", "198.18.31.0/30",
                "overlaps IPAddressPool intruder spec.addresses[0] \"198.18.31.2/32\" (both hold 198.18.31.2)");
    }

    // ---- serviceAllocation ----

    @Test
    void serviceAllocationIsConverted() {
        Config config = valid(List.of(poolWithAllocation("lab", sa -> {
            sa.setPriority(10);
            sa.setNamespaces(List.of("web", "default"));
            sa.setNamespaceSelectors(List.of(matchLabels(Map.of("team", "blue"))));
            sa.setServiceSelectors(List.of(matchExpression("tier", "In", "frontend", "edge")));
        })), List.of());
        Pool.ServiceAllocationRule rule = config.pools().get("lab").serviceAllocation().orElseThrow();
        assertEquals(Optional.of(10), rule.priority());
        assertEquals(List.of("default", "web"), List.copyOf(rule.namespaces()));
        assertTrue(rule.admits("web", Map.of(), Map.of("tier", "edge")));
        assertTrue(rule.admits("other", Map.of("team", "blue"), Map.of("tier", "frontend")));
        assertFalse(rule.admits("other", Map.of("team", "red"), Map.of("tier", "frontend")));
        assertFalse(rule.admits("web", Map.of(), Map.of("tier", "batch")));
    }

    static Stream<Arguments> badServiceAllocations() {
        return Stream.of(
                Arguments.of("duplicate namespace",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaces(List.of("web", "db", "web")),
                        "spec.serviceAllocation.namespaces[2]", "web", "namespace is listed twice (also at namespaces[0])"),
                Arguments.of("namespace with capitals",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaces(List.of("Web")),
                        "spec.serviceAllocation.namespaces[0]", "Web", "namespace name must consist of lower case"),
                Arguments.of("namespace with underscore",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaces(List.of("my_ns")),
                        "spec.serviceAllocation.namespaces[0]", "my_ns", "namespace name must consist of lower case"),
                Arguments.of("namespace too long",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaces(List.of("n".repeat(64))),
                        "spec.serviceAllocation.namespaces[0]", "n".repeat(64), "no more than 63 characters"),
                Arguments.of("empty namespace",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaces(List.of("")),
                        "spec.serviceAllocation.namespaces[0]", "", "namespace name must not be empty"),
                Arguments.of("namespace selector with bad operator",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaceSelectors(List.of(matchExpression("team", "Equals", "a"))),
                        "spec.serviceAllocation.namespaceSelectors[0].matchExpressions[0].operator", "Equals",
                        "must be one of In, NotIn, Exists, DoesNotExist"),
                Arguments.of("namespace selector In without values",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaceSelectors(List.of(matchExpression("team", "In"))),
                        "spec.serviceAllocation.namespaceSelectors[0].matchExpressions[0].values", "[]",
                        "operator In needs at least one value"),
                Arguments.of("namespace selector bad key",
                        (Consumer<ServiceAllocation>) sa -> sa.setNamespaceSelectors(List.of(matchLabels(Map.of("team/", "a")))),
                        "spec.serviceAllocation.namespaceSelectors[0].matchLabels", "team/", "name part must not be empty"),
                Arguments.of("service selector Exists with values",
                        (Consumer<ServiceAllocation>) sa -> sa.setServiceSelectors(List.of(matchExpression("tier", "Exists", "x"))),
                        "spec.serviceAllocation.serviceSelectors[0].matchExpressions[0].values", "[x]",
                        "operator Exists takes no values"),
                Arguments.of("service selector bad value",
                        (Consumer<ServiceAllocation>) sa -> sa.setServiceSelectors(List.of(matchLabels(Map.of("tier", "front end")))),
                        "spec.serviceAllocation.serviceSelectors[0].matchLabels[tier]", "front end",
                        "label value must be empty or consist of"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badServiceAllocations")
    void rejectsBadServiceAllocation(String what, Consumer<ServiceAllocation> edit, String field, String value, String problem) {
        ConfigError e = onlyError(List.of(poolWithAllocation("lab", edit)), List.of());
        assertError(e, "IPAddressPool", "lab", field, value, problem);
    }

    // ---- advertisements ----

    static final List<IPAddressPool> THREE_POOLS = List.of(
            pool("lab", Map.of("env", "lab"), spec -> spec.setAddresses(List.of("198.18.0.0/28"))),
            pool("prod-v4", Map.of("env", "prod", "family", "v4"), spec -> spec.setAddresses(List.of("198.18.1.0/28"))),
            pool("prod-v6", Map.of("env", "prod", "family", "v6"), spec -> spec.setAddresses(List.of("2001:db8::/120"))));

    static Stream<Arguments> poolResolution() {
        return Stream.of(
                Arguments.of("neither names nor selectors: every pool",
                        (Consumer<L2AdvertisementSpec>) s -> { }, Set.of("lab", "prod-v4", "prod-v6")),
                Arguments.of("empty lists: every pool",
                        (Consumer<L2AdvertisementSpec>) s -> {
                            s.setIpAddressPools(List.of());
                            s.setIpAddressPoolSelectors(List.of());
                        }, Set.of("lab", "prod-v4", "prod-v6")),
                Arguments.of("names only",
                        (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPools(List.of("lab")), Set.of("lab")),
                Arguments.of("selector on labels",
                        (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPoolSelectors(List.of(matchLabels(Map.of("env", "prod")))),
                        Set.of("prod-v4", "prod-v6")),
                Arguments.of("selector expression",
                        (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPoolSelectors(List.of(matchExpression("family", "NotIn", "v6"))),
                        Set.of("lab", "prod-v4")),
                Arguments.of("selector matching nothing",
                        (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPoolSelectors(List.of(matchLabels(Map.of("env", "staging")))),
                        Set.of()),
                Arguments.of("empty selector matches every pool",
                        (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPoolSelectors(List.of(new LabelSelector())),
                        Set.of("lab", "prod-v4", "prod-v6")),
                Arguments.of("names and selectors add up",
                        (Consumer<L2AdvertisementSpec>) s -> {
                            s.setIpAddressPools(List.of("lab"));
                            s.setIpAddressPoolSelectors(List.of(matchLabels(Map.of("family", "v6"))));
                        }, Set.of("lab", "prod-v6")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolResolution")
    void resolvesWhichPoolsAnAdvertisementCovers(String what, Consumer<L2AdvertisementSpec> edit, Set<String> pools) {
        Config config = valid(THREE_POOLS, List.of(advertisement("l2", edit)));
        assertEquals(pools, config.advertisements().get(0).pools());
    }

    @Test
    void anAdvertisementWithoutSpecCoversEverything() {
        L2Advertisement a = advertisement("l2", s -> { });
        a.setSpec(null);
        Advertisement parsed = valid(THREE_POOLS, List.of(a)).advertisements().get(0);
        assertEquals(new Advertisement("l2", Set.of("lab", "prod-v4", "prod-v6"), List.of(), List.of(), List.of()), parsed);
    }

    @Test
    void anUnknownPoolIsAnErrorListingTheKnownOnes() {
        ConfigError e = onlyError(THREE_POOLS, List.of(advertisement("l2", s -> s.setIpAddressPools(List.of("lab", "prod")))));
        assertError(e, "L2Advertisement", "l2", "spec.ipAddressPools[1]", "prod",
                "no IPAddressPool is named \"prod\"; pools are lab, prod-v4, prod-v6");
    }

    @Test
    void namingAnInvalidPoolIsReportedOnThePoolOnly() {
        List<ConfigError> errors = invalid(List.of(pool("broken", "198.18.0.1")),
                List.of(advertisement("l2", s -> s.setIpAddressPools(List.of("broken")))));
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("broken", errors.get(0).name());
    }

    @Test
    void keepsNodeAndServiceSelectorsAndInterfaces() {
        Advertisement a = valid(THREE_POOLS, List.of(advertisement("l2", s -> {
            s.setNodeSelectors(List.of(matchLabels(Map.of("kubernetes.io/hostname", "node-1"))));
            s.setServiceSelectors(List.of(matchExpression("ferrite.dev/l2", "Exists")));
            s.setInterfaces(List.of("eth1", "bond0.100", "enp3s0f1"));
        }))).advertisements().get(0);
        assertTrue(Selector.anyMatches(a.nodeSelectors(), Map.of("kubernetes.io/hostname", "node-1")));
        assertFalse(Selector.anyMatches(a.nodeSelectors(), Map.of("kubernetes.io/hostname", "node-2")));
        assertTrue(Selector.anyMatches(a.serviceSelectors(), Map.of("ferrite.dev/l2", "")));
        assertFalse(Selector.anyMatches(a.serviceSelectors(), Map.of()));
        assertEquals(List.of("eth1", "bond0.100", "enp3s0f1"), a.interfaces());
    }

    static Stream<Arguments> badAdvertisements() {
        return Stream.of(
                Arguments.of("empty pool name", (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPools(List.of("")),
                        "spec.ipAddressPools[0]", "", "pool name is empty"),
                Arguments.of("bad pool selector", (Consumer<L2AdvertisementSpec>) s -> s.setIpAddressPoolSelectors(
                                List.of(matchExpression("env", "exists"))),
                        "spec.ipAddressPoolSelectors[0].matchExpressions[0].operator", "exists", "case matters: write Exists"),
                Arguments.of("bad node selector key", (Consumer<L2AdvertisementSpec>) s -> s.setNodeSelectors(
                                List.of(matchLabels(Map.of("kubernetes.io/host name", "a")))),
                        "spec.nodeSelectors[0].matchLabels", "kubernetes.io/host name", "label key name part must consist of"),
                Arguments.of("node selector NotIn without values", (Consumer<L2AdvertisementSpec>) s -> s.setNodeSelectors(
                                List.of(new LabelSelector(), matchExpression("zone", "NotIn"))),
                        "spec.nodeSelectors[1].matchExpressions[0].values", "[]", "operator NotIn needs at least one value"),
                Arguments.of("service selector DoesNotExist with values", (Consumer<L2AdvertisementSpec>) s -> s.setServiceSelectors(
                                List.of(matchExpression("app", "DoesNotExist", "web"))),
                        "spec.serviceSelectors[0].matchExpressions[0].values", "[web]", "operator DoesNotExist takes no values"),
                Arguments.of("interface too long", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("enp0s31f6.100000")),
                        "spec.interfaces[0]", "enp0s31f6.100000", "interface name is 16 characters"),
                Arguments.of("interface of 16", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("abcdefghijklmnop")),
                        "spec.interfaces[0]", "abcdefghijklmnop", "Linux allows at most 15"),
                Arguments.of("interface with slash", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("eth0/1")),
                        "spec.interfaces[0]", "eth0/1", "must not contain '/', ':' or whitespace"),
                Arguments.of("interface alias", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("eth0:1")),
                        "spec.interfaces[0]", "eth0:1", "must not contain '/', ':' or whitespace"),
                Arguments.of("interface with space", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("eth 0")),
                        "spec.interfaces[0]", "eth 0", "must not contain '/', ':' or whitespace"),
                Arguments.of("interface with tab", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("eth0\t")),
                        "spec.interfaces[0]", "eth0\t", "must not contain '/', ':' or whitespace"),
                Arguments.of("empty interface", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("")),
                        "spec.interfaces[0]", "", "interface name is empty"),
                Arguments.of("dot interface", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("..")),
                        "spec.interfaces[0]", "..", "is not an interface name"),
                Arguments.of("duplicate interface", (Consumer<L2AdvertisementSpec>) s -> s.setInterfaces(List.of("eth0", "eth1", "eth0")),
                        "spec.interfaces[2]", "eth0", "interface is listed twice (also at interfaces[0])"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAdvertisements")
    void rejectsBadAdvertisements(String what, Consumer<L2AdvertisementSpec> edit, String field, String value, String problem) {
        ConfigError e = onlyError(THREE_POOLS, List.of(advertisement("l2", edit)));
        assertError(e, "L2Advertisement", "l2", field, value, problem);
    }

    @Test
    void anInterfaceOfExactly15CharactersIsFine() {
        Advertisement a = valid(THREE_POOLS, List.of(advertisement("l2", s -> s.setInterfaces(List.of("abcdefghijklmno")))))
                .advertisements().get(0);
        assertEquals(List.of("abcdefghijklmno"), a.interfaces());
    }

    // ---- names, order, several errors ----

    @Test
    void namesMustBeSetAndUniqueAcrossNamespaces() {
        IPAddressPool unnamed = pool(null, "198.18.5.0/24");
        IPAddressPool first = pool("lab", "198.18.0.0/24");
        IPAddressPool second = pool("lab", "198.18.1.0/24");
        second.getMetadata().setNamespace("other");
        List<ConfigError> errors = invalid(List.of(second, unnamed, first), List.of());
        assertEquals(2, errors.size(), errors::toString);
        assertError(errors.get(0), "IPAddressPool", "<unnamed>", "metadata.name", "", "is required");
        assertError(errors.get(1), "IPAddressPool", "lab", "metadata.name", "lab",
                "the IPAddressPool in namespace other has the same name as the one in namespace ferrite-system");
    }

    @Test
    void advertisementNamesMustBeUniqueToo() {
        L2Advertisement first = advertisement("l2", s -> { });
        L2Advertisement second = advertisement("l2", s -> { });
        second.getMetadata().setNamespace("apps");
        ConfigError e = onlyError(THREE_POOLS, List.of(first, second));
        assertError(e, "L2Advertisement", "l2", "metadata.name", "l2",
                "the L2Advertisement in namespace ferrite-system has the same name as the one in namespace apps");
    }

    @Test
    void collectsEveryErrorOfEveryObjectInOrder() {
        List<IPAddressPool> pools = List.of(
                pool("b-pool", "198.18.0.0/24", "198.18.9.9", "198.18.0.5-198.18.0.1"),
                pool("a-pool", "198.18.0.128/25"),
                poolWithAllocation("c-pool", sa -> {
                    sa.setNamespaces(List.of("web", "web"));
                    sa.setNamespaceSelectors(List.of(matchExpression("team", "Within", "blue")));
                }));
        List<L2Advertisement> advertisements = List.of(
                advertisement("l2", s -> {
                    s.setIpAddressPools(List.of("a-pool", "d-pool"));
                    s.setInterfaces(List.of("eth0:0"));
                }));
        List<String> messages = invalid(pools, advertisements).stream().map(ConfigError::message).toList();
        assertEquals(List.of(
                "IPAddressPool b-pool: spec.addresses[1] \"198.18.9.9\": is a single address without a prefix length; "
                        + "write 198.18.9.9/32 (or 198.18.9.9-198.18.9.9) for a pool of one address, or give the network's prefix length",
                "IPAddressPool b-pool: spec.addresses[2] \"198.18.0.5-198.18.0.1\": range is reversed: start 198.18.0.5 "
                        + "is after end 198.18.0.1; write 198.18.0.1-198.18.0.5",
                "IPAddressPool c-pool: spec.serviceAllocation.namespaces[1] \"web\": namespace is listed twice (also at namespaces[0])",
                "IPAddressPool c-pool: spec.serviceAllocation.namespaceSelectors[0].matchExpressions[0].operator \"Within\": "
                        + "must be one of In, NotIn, Exists, DoesNotExist",
                "IPAddressPool a-pool: spec.addresses[0] \"198.18.0.128/25\": overlaps IPAddressPool b-pool spec.addresses[0] "
                        + "\"198.18.0.0/24\" (both hold 198.18.0.128-198.18.0.255); an address may belong to one pool range only",
                "IPAddressPool b-pool: spec.addresses[0] \"198.18.0.0/24\": overlaps IPAddressPool a-pool spec.addresses[0] "
                        + "\"198.18.0.128/25\" (both hold 198.18.0.128-198.18.0.255); an address may belong to one pool range only",
                "IPAddressPool b-pool: spec.addresses[0] \"198.18.0.0/24\": overlaps IPAddressPool c-pool spec.addresses[0] "
                        + "\"198.18.0.0/28\" (both hold 198.18.0.0-198.18.0.15); an address may belong to one pool range only",
                "IPAddressPool c-pool: spec.addresses[0] \"198.18.0.0/28\": overlaps IPAddressPool b-pool spec.addresses[0] "
                        + "\"198.18.0.0/24\" (both hold 198.18.0.0-198.18.0.15); an address may belong to one pool range only",
                "L2Advertisement l2: spec.ipAddressPools[1] \"d-pool\": no IPAddressPool is named \"d-pool\"; pools are a-pool, b-pool, c-pool",
                "L2Advertisement l2: spec.interfaces[0] \"eth0:0\": interface name must not contain '/', ':' or whitespace"),
                messages);
    }

    @Test
    void errorsForPicksOneObjectsErrors() {
        ConfigResult.Invalid result = (ConfigResult.Invalid) ConfigParser.parse(
                List.of(pool("a", "198.18.0.1"), pool("b", "198.18.1.0/24", "x")),
                List.of(advertisement("b", s -> s.setIpAddressPools(List.of("zzz")))));
        assertEquals(List.of("spec.addresses[1]"),
                result.errorsFor("IPAddressPool", "b").stream().map(ConfigError::field).toList());
        assertEquals(List.of("spec.ipAddressPools[0]"),
                result.errorsFor("L2Advertisement", "b").stream().map(ConfigError::field).toList());
    }

    @Test
    void inputOrderDoesNotChangeTheResult() {
        List<IPAddressPool> pools = new ArrayList<>(THREE_POOLS);
        List<L2Advertisement> advertisements = new ArrayList<>(List.of(
                advertisement("zeta", s -> s.setIpAddressPools(List.of("prod-v6", "lab"))),
                advertisement("alpha", s -> s.setIpAddressPoolSelectors(List.of(matchLabels(Map.of("env", "prod"))))),
                advertisement("mid", s -> { })));
        Config expected = valid(pools, advertisements);
        assertEquals(List.of("alpha", "mid", "zeta"), expected.advertisements().stream().map(Advertisement::name).toList());
        assertEquals(List.of("lab", "prod-v4", "prod-v6"), List.copyOf(expected.pools().keySet()));
        for (int seed = 0; seed < 5; seed++) {
            Collections.shuffle(pools, new Random(seed));
            Collections.shuffle(advertisements, new Random(seed + 100));
            Config again = valid(pools, advertisements);
            assertEquals(expected, again);
            assertEquals(expected.toString(), again.toString());
        }
    }

    @Test
    void errorsDoNotDependOnInputOrderEither() {
        List<IPAddressPool> pools = new ArrayList<>(List.of(
                pool("a", "198.18.0.0/24"), pool("b", "198.18.0.0/25"), pool("c", "198.18.0.128/25", "bad")));
        List<ConfigError> expected = invalid(pools, List.of());
        for (int seed = 0; seed < 5; seed++) {
            Collections.shuffle(pools, new Random(seed));
            assertEquals(expected, invalid(pools, List.of()));
        }
    }

    @Test
    void nothingConfiguredIsAValidEmptyConfig() {
        assertEquals(Config.EMPTY, valid(List.of(), List.of()));
        assertEquals(Config.EMPTY, assertInstanceOf(ConfigResult.Valid.class, ConfigParser.parse(null, null)).config());
    }

    @Test
    void poolLabelsAreKeptForSelection() {
        Config config = valid(THREE_POOLS, List.of());
        assertEquals(Map.of("env", "prod", "family", "v6"), config.pools().get("prod-v6").labels());
    }
}
