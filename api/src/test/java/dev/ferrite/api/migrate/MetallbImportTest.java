package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class MetallbImportTest {

    static String resource(String name) {
        try (InputStream in = MetallbImportTest.class.getResourceAsStream("/metallb/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImportResult.Converted converted(String yaml) {
        ImportResult result = MetallbImport.convert(yaml, Optional.empty());
        return assertInstanceOf(ImportResult.Converted.class, result, () -> "not converted: " + result);
    }

    static ImportResult.Invalid invalid(String yaml) {
        ImportResult result = MetallbImport.convert(yaml, Optional.empty());
        return assertInstanceOf(ImportResult.Invalid.class, result, () -> "not invalid: " + result);
    }

    static List<JsonNode> bodies(ImportResult.Converted c) {
        return c.documents().stream().map(ImportedDocument::body).toList();
    }

    static JsonNode yaml(String text) {
        return ((ImportYaml.Read.Documents) ImportYaml.readAll(text)).documents().get(0);
    }

    static List<String> messages(ImportResult.Invalid i) {
        return i.errors().stream().map(ImportError::toString).toList();
    }

    static List<Finding> findings(ImportResult r, Finding.Kind kind) {
        return r.findings().stream().filter(f -> f.kind() == kind).toList();
    }

    // ---- conversions, one input kind per row ----

    static Stream<Arguments> conversions() {
        return Stream.of(
                Arguments.of("IPAddressPool keeps its fields and moves from metallb-system to ferrite-system", """
                        apiVersion: metallb.io/v1beta1
                        kind: IPAddressPool
                        metadata:
                          name: lan
                          namespace: metallb-system
                          labels: {site: home}
                          annotations:
                            owner: netops
                            kubectl.kubernetes.io/last-applied-configuration: "{}"
                          uid: 0b7e
                          resourceVersion: "42"
                          creationTimestamp: "2024-05-02T09:12:44Z"
                        spec:
                          addresses: [198.18.0.0/28, "2001:db8::/120"]
                          autoAssign: false
                          avoidBuggyIPs: true
                          serviceAllocation:
                            priority: 5
                            namespaces: [shop]
                            namespaceSelectors: [{matchLabels: {team: a}}]
                            serviceSelectors: [{matchExpressions: [{key: tier, operator: In, values: [edge]}]}]
                        status:
                          assignedIPv4: 3
                        """, List.of("""
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata:
                          name: lan
                          namespace: ferrite-system
                          labels: {site: home}
                          annotations: {owner: netops}
                        spec:
                          addresses: [198.18.0.0/28, "2001:db8::/120"]
                          autoAssign: false
                          avoidBuggyIPs: true
                          serviceAllocation:
                            priority: 5
                            namespaces: [shop]
                            namespaceSelectors: [{matchLabels: {team: a}}]
                            serviceSelectors: [{matchExpressions: [{key: tier, operator: In, values: [edge]}]}]
                        """)),
                Arguments.of("IPAddressPool outside metallb-system keeps its namespace and gets MetalLB's defaults", """
                        apiVersion: metallb.io/v1beta1
                        kind: IPAddressPool
                        metadata: {name: lab, namespace: lb}
                        spec:
                          addresses: [198.18.0.10-198.18.0.20]
                        """, List.of("""
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata: {name: lab, namespace: lb}
                        spec: {addresses: [198.18.0.10-198.18.0.20], autoAssign: true, avoidBuggyIPs: false}
                        """)),
                Arguments.of("L2Advertisement keeps pools, pool selectors, node selectors and interfaces", """
                        apiVersion: metallb.io/v1beta1
                        kind: IPAddressPool
                        metadata: {name: lab, namespace: metallb-system, labels: {zone: a}}
                        spec: {addresses: [198.18.0.0/28]}
                        ---
                        apiVersion: metallb.io/v1beta1
                        kind: L2Advertisement
                        metadata: {name: lab}
                        spec:
                          ipAddressPools: [lab]
                          ipAddressPoolSelectors: [{matchLabels: {zone: a}}]
                          nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-a}}]
                          interfaces: [eth0, bond0]
                        """, List.of("""
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata: {name: lab, namespace: ferrite-system, labels: {zone: a}}
                        spec: {addresses: [198.18.0.0/28], autoAssign: true, avoidBuggyIPs: false}
                        """, """
                        apiVersion: ferrite.dev/v1beta1
                        kind: L2Advertisement
                        metadata: {name: lab, namespace: ferrite-system}
                        spec:
                          ipAddressPools: [lab]
                          ipAddressPoolSelectors: [{matchLabels: {zone: a}}]
                          nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-a}}]
                          interfaces: [eth0, bond0]
                        """)),
                Arguments.of("deprecated AddressPool in layer2 becomes a pool and an advertisement naming it", """
                        apiVersion: metallb.io/v1beta1
                        kind: AddressPool
                        metadata: {name: old, namespace: metallb-system}
                        spec:
                          protocol: layer2
                          addresses: [198.18.1.0/29]
                          autoAssign: false
                        """, List.of("""
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata: {name: old, namespace: ferrite-system}
                        spec: {addresses: [198.18.1.0/29], autoAssign: false, avoidBuggyIPs: false}
                        """, """
                        apiVersion: ferrite.dev/v1beta1
                        kind: L2Advertisement
                        metadata: {name: layer2, namespace: ferrite-system}
                        spec: {ipAddressPools: [old]}
                        """)),
                Arguments.of("legacy ConfigMap: layer2 pools become pools plus one advertisement, the bgp pool is left out",
                        resource("legacy-configmap.yaml"), List.of("""
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata: {name: default, namespace: ferrite-system}
                        spec:
                          addresses: [198.18.30.16/28, 198.18.30.40-198.18.30.49]
                          autoAssign: true
                          avoidBuggyIPs: false
                        """, """
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata: {name: static, namespace: ferrite-system}
                        spec: {addresses: [198.18.30.64/27], autoAssign: false, avoidBuggyIPs: true}
                        """, """
                        apiVersion: ferrite.dev/v1beta1
                        kind: L2Advertisement
                        metadata: {name: layer2, namespace: ferrite-system}
                        spec: {ipAddressPools: [default, static]}
                        """)),
                Arguments.of("Service: MetalLB annotations renamed, everything else untouched", """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                          namespace: shop
                          resourceVersion: "7"
                          annotations:
                            metallb.universe.tf/address-pool: lan
                            metallb.io/loadBalancerIPs: 198.18.0.5
                            metallb.universe.tf/allow-shared-ip: web
                            metallb.io/ip-allocated-from-pool: lan
                            example.com/team: shop
                        spec:
                          type: LoadBalancer
                          ports: [{port: 80}]
                        status:
                          loadBalancer: {ingress: [{ip: 198.18.0.5}]}
                        """, List.of("""
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: web
                          namespace: shop
                          resourceVersion: "7"
                          annotations:
                            ferrite.dev/address-pool: lan
                            ferrite.dev/loadBalancerIPs: 198.18.0.5
                            ferrite.dev/allow-shared-ip: web
                            ferrite.dev/ip-allocated-from-pool: lan
                            example.com/team: shop
                        spec:
                          type: LoadBalancer
                          ports: [{port: 80}]
                        status:
                          loadBalancer: {ingress: [{ip: 198.18.0.5}]}
                        """)),
                Arguments.of("other kinds are left out (and reported)", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web, namespace: metallb-system}
                        spec: {replicas: 2}
                        ---
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: settings}
                        data: {config: "hello: world"}
                        """, List.of()),
                Arguments.of("a kubectl List is converted item by item", """
                        apiVersion: v1
                        kind: List
                        items:
                        - apiVersion: metallb.io/v1beta1
                          kind: IPAddressPool
                          metadata: {name: lab, namespace: metallb-system}
                          spec: {addresses: [198.18.0.0/28]}
                        - apiVersion: metallb.io/v1beta1
                          kind: L2Advertisement
                          metadata: {name: lab, namespace: metallb-system}
                        """, List.of("""
                        apiVersion: ferrite.dev/v1beta1
                        kind: IPAddressPool
                        metadata: {name: lab, namespace: ferrite-system}
                        spec: {addresses: [198.18.0.0/28], autoAssign: true, avoidBuggyIPs: false}
                        """, """
                        apiVersion: ferrite.dev/v1beta1
                        kind: L2Advertisement
                        metadata: {name: lab, namespace: ferrite-system}
                        spec: {}
                        """)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversions")
    void convertsEachInputKind(String description, String input, List<String> expected) {
        ImportResult.Converted c = converted(input);
        assertEquals(expected.stream().map(MetallbImportTest::yaml).toList(), bodies(c));
    }

    @Test
    void legacyConfigMapReportsTheBgpPoolPeersAndCommunitiesAsNotConverted() {
        ImportResult.Converted c = converted(resource("legacy-configmap.yaml"));
        List<String> unsupported = findings(c, Finding.Kind.UNSUPPORTED).stream().map(Finding::toString).toList();
        assertEquals(3, unsupported.size(), unsupported::toString);
        assertTrue(unsupported.stream().anyMatch(f -> f.contains("peers") && f.contains("BGP is not supported")), unsupported::toString);
        assertTrue(unsupported.stream().anyMatch(f -> f.contains("bgp-communities")), unsupported::toString);
        assertTrue(unsupported.stream().anyMatch(f -> f.contains("pool routed") && f.contains("pool routed uses protocol bgp")),
                unsupported::toString);
        assertTrue(c.hasUnsupported());
        assertTrue(c.render().contains("# NOT CONVERTED"));
    }

    // ---- BGP is reported, never dropped silently ----

    @ParameterizedTest(name = "{0} {1} is reported as not converted")
    @CsvSource({
        "metallb.io/v1beta1, BGPPeer",
        "metallb.io/v1beta2, BGPPeer",
        "metallb.io/v1beta1, BGPAdvertisement",
        "metallb.io/v1beta1, BFDProfile",
        "metallb.io/v1beta1, Community",
    })
    void bgpObjectsAreReportedAsUnsupported(String apiVersion, String kind) {
        ImportResult.Converted c = converted("""
                apiVersion: %s
                kind: %s
                metadata: {name: tor, namespace: metallb-system}
                spec: {}
                """.formatted(apiVersion, kind));
        assertEquals(List.of(), c.documents());
        List<Finding> unsupported = findings(c, Finding.Kind.UNSUPPORTED);
        assertEquals(1, unsupported.size(), unsupported::toString);
        assertEquals("document 1 (" + kind + " metallb-system/tor)", unsupported.get(0).origin().toString());
        assertTrue(c.render().contains("#   - document 1 (" + kind + " metallb-system/tor): "), c.render());
    }

    @Test
    void aPoolOnlyAdvertisedOverBgpIsConvertedButFlaggedAsNotAnnounced() {
        ImportResult.Converted c = converted("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: uplink, namespace: metallb-system}
                spec: {addresses: [198.18.20.0/28]}
                ---
                apiVersion: metallb.io/v1beta1
                kind: BGPAdvertisement
                metadata: {name: uplink, namespace: metallb-system}
                spec: {ipAddressPools: [uplink]}
                """);
        assertEquals(1, c.documents().size());
        assertTrue(findings(c, Finding.Kind.NOTE).stream()
                .anyMatch(f -> f.message().contains("IPAddressPool uplink is not selected by any L2Advertisement")), c::toString);
    }

    @Test
    void aFieldMetallbDoesNotHaveIsAnErrorNamingTheClosestOne() {
        ImportResult.Invalid i = invalid("""
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: lab, namespace: metallb-system}
                spec: {interfaces: [eth0], nodeSelector: [{}]}
                """);
        assertEquals(List.of("document 1 (L2Advertisement metallb-system/lab): spec.nodeSelector: unknown field "
                + "\"nodeSelector\"; did you mean \"nodeSelectors\"? (L2Advertisement spec fields are ipAddressPools, "
                + "ipAddressPoolSelectors, nodeSelectors, interfaces, serviceSelectors, preferredNodeSelectors)"),
                messages(i));
    }

    // ---- Service annotations ----

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({
        "metallb.io/address-pool, ferrite.dev/address-pool",
        "metallb.universe.tf/address-pool, ferrite.dev/address-pool",
        "metallb.io/loadBalancerIPs, ferrite.dev/loadBalancerIPs",
        "metallb.universe.tf/loadBalancerIPs, ferrite.dev/loadBalancerIPs",
        "metallb.io/allow-shared-ip, ferrite.dev/allow-shared-ip",
        "metallb.universe.tf/allow-shared-ip, ferrite.dev/allow-shared-ip",
        "metallb.io/ip-allocated-from-pool, ferrite.dev/ip-allocated-from-pool",
        "metallb.universe.tf/ip-allocated-from-pool, ferrite.dev/ip-allocated-from-pool",
    })
    void renamesEachMetallbServiceAnnotation(String from, String to) {
        ImportResult.Converted c = converted(service(from + ": lan"));
        JsonNode annotations = bodies(c).get(0).path("metadata").path("annotations");
        assertEquals(List.of(to), List.copyOf(annotations.propertyNames()));
        assertEquals("lan", annotations.get(to).stringValue());
    }

    static String service(String... annotations) {
        StringBuilder s = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: shop
                  annotations:
                """);
        for (String a : annotations) {
            s.append("    ").append(a).append('\n');
        }
        return s.append("spec: {type: LoadBalancer}\n").toString();
    }

    @Test
    void twoAliasesWithTheSameValueBecomeOneAnnotation() {
        ImportResult.Converted c = converted(service("metallb.io/address-pool: lan", "metallb.universe.tf/address-pool: lan"));
        assertEquals(yaml("{ferrite.dev/address-pool: lan}"), bodies(c).get(0).path("metadata").path("annotations"));
    }

    @Test
    void aFerriteAnnotationAlreadyPresentWinsOverAnAliasWithTheSameValue() {
        ImportResult.Converted c = converted(service("metallb.io/address-pool: lan", "ferrite.dev/address-pool: lan"));
        assertEquals(yaml("{ferrite.dev/address-pool: lan}"), bodies(c).get(0).path("metadata").path("annotations"));
    }

    @Test
    void aliasesWithDifferentValuesAreAnErrorNamingBoth() {
        ImportResult.Invalid i = invalid(service("metallb.io/address-pool: a", "metallb.universe.tf/address-pool: b"));
        assertEquals(List.of("document 1 (Service shop/web): metadata.annotations[metallb.universe.tf/address-pool]: \"b\" "
                + "conflicts with metallb.io/address-pool \"a\"; keep one of them"), messages(i));
    }

    @Test
    void otherMetallbAnnotationsStayWithANote() {
        ImportResult.Converted c = converted(service("metallb.io/something-new: x"));
        assertEquals(yaml("{metallb.io/something-new: x}"), bodies(c).get(0).path("metadata").path("annotations"));
        assertTrue(findings(c, Finding.Kind.NOTE).stream().anyMatch(f -> f.message().contains("metallb.io/something-new")));
        assertFalse(c.hasUnsupported());
    }

    @Test
    void aServiceNamingAPoolNotInTheInputGetsANote() {
        ImportResult.Converted c = converted(service("metallb.universe.tf/address-pool: elsewhere"));
        assertTrue(findings(c, Finding.Kind.NOTE).stream().anyMatch(f -> f.message().contains("names pool elsewhere")),
                c::toString);
    }

    // ---- namespaces ----

    @Test
    void namespaceOverrideAppliesToPoolsAndAdvertisementsButNotServices() {
        ImportResult r = MetallbImport.convert(resource("metallb-v0.14.yaml"), Optional.of("lb"));
        ImportResult.Converted c = assertInstanceOf(ImportResult.Converted.class, r);
        for (JsonNode body : bodies(c)) {
            String apiVersion = body.path("apiVersion").stringValue();
            String ns = body.path("metadata").path("namespace").asString("");
            if (apiVersion.startsWith("ferrite.dev/")) {
                assertEquals("lb", ns, body::toString);
            } else if (body.path("kind").stringValue().equals("Service")) {
                assertEquals("shop", ns);
            }
        }
    }

    // ---- validation by the shared ConfigParser ----

    @Test
    void overlappingPoolsFailWithTheValidatorsMessageNamingBothPools() {
        ImportResult.Invalid i = invalid("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: a, namespace: metallb-system}
                spec: {addresses: [198.18.0.0/24]}
                ---
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: b, namespace: metallb-system}
                spec: {addresses: [198.18.0.128/25]}
                """);
        assertEquals(List.of(
                "document 1 (IPAddressPool metallb-system/a): spec.addresses[0]: \"198.18.0.0/24\": overlaps IPAddressPool b "
                        + "spec.addresses[0] \"198.18.0.128/25\" (both hold 198.18.0.128-198.18.0.255); an address may belong "
                        + "to one pool range only",
                "document 2 (IPAddressPool metallb-system/b): spec.addresses[0]: \"198.18.0.128/25\": overlaps IPAddressPool a "
                        + "spec.addresses[0] \"198.18.0.0/24\" (both hold 198.18.0.128-198.18.0.255); an address may belong "
                        + "to one pool range only"),
                messages(i));
    }

    @Test
    void aBadAddressInTheLegacyConfigMapFailsWithFieldAndValue() {
        ImportResult.Invalid i = invalid("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config, namespace: metallb-system}
                data:
                  config: |
                    address-pools:
                    - name: lan
                      protocol: layer2
                      addresses: [198.18.0.0/33]
                """);
        assertEquals(1, i.errors().size(), i.errors()::toString);
        ImportError e = i.errors().get(0);
        assertEquals("document 1 (ConfigMap metallb-system/config, pool lan)", e.where().toString());
        assertEquals("data.config: address-pools[0].addresses[0]", e.field());
        assertTrue(e.message().startsWith("\"198.18.0.0/33\": prefix length"), e::toString);
    }

    @Test
    void anAdvertisementNamingAPoolNotInTheInputFails() {
        ImportResult.Invalid i = invalid("""
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: lab, namespace: metallb-system}
                spec: {ipAddressPools: [missing]}
                """);
        assertEquals(List.of("L2Advertisement"), i.errors().stream().map(e -> e.where().kind()).toList());
        assertEquals("spec.ipAddressPools[0]", i.errors().get(0).field());
        assertTrue(i.errors().get(0).message().contains("missing"), i.errors()::toString);
    }

    @Test
    void aLegacyPoolWithoutAProtocolFails() {
        ImportResult.Invalid i = invalid("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config, namespace: metallb-system}
                data:
                  config: |
                    address-pools:
                    - name: lan
                      protocol: layer3
                      addresses: [198.18.0.0/28]
                """);
        assertEquals(List.of("document 1 (ConfigMap metallb-system/config, pool lan): data.config: address-pools[0].protocol: "
                + "\"layer3\" is not a protocol; MetalLB needs layer2 or bgp"), messages(i));
    }

    @Test
    void aPoolSpecOfTheWrongShapeFailsInsteadOfCrashing() {
        ImportResult.Invalid i = invalid("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: lan, namespace: metallb-system}
                spec: {addresses: 198.18.0.0/28}
                """);
        assertEquals(List.of("document 1 (IPAddressPool metallb-system/lan): spec.addresses: \"198.18.0.0/28\" is a string; "
                + "expected a list of strings (write [198.18.0.0/28] or one entry per line starting with -)"), messages(i));
    }

    @Test
    void textThatIsNotYamlIsUnreadable() {
        ImportResult r = MetallbImport.convert("addresses: [198.18.0.0/28\n", Optional.empty());
        ImportError e = assertInstanceOf(ImportResult.Invalid.class, r).errors().get(0);
        assertEquals("document 1 (not valid YAML): yaml: ", e.toString().substring(0, e.toString().indexOf("yaml: ") + 6));
    }

    @Test
    void emptyDocumentsAreSkipped() {
        ImportResult.Converted c = converted("---\n# nothing\n---\napiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
                + "metadata: {name: lan, namespace: metallb-system}\nspec: {addresses: [198.18.0.0/28]}\n");
        assertEquals(1, c.documents().size());
    }

    @Test
    void anInputWithNoObjectsAtAllIsAnErrorNotAnEmptySuccess() {
        for (String nothing : List.of("", "\n\n", "# only a comment\n", "---\n", "---\n# nothing\n---\n")) {
            ImportResult r = MetallbImport.convert(nothing, Optional.empty());
            ImportResult.Invalid invalid = assertInstanceOf(ImportResult.Invalid.class, r, () -> nothing + ": " + r);
            assertTrue(invalid.errors().get(0).toString().contains("holds no objects"), invalid::toString);
        }
    }

    // ---- output ----

    @Test
    void outputIsStableAndReadsBackAsTheSameDocuments() {
        String input = resource("metallb-v0.14.yaml");
        ImportResult.Converted first = converted(input);
        String rendered = first.render();
        assertEquals(rendered, converted(input).render());
        List<JsonNode> reread = ((ImportYaml.Read.Documents) ImportYaml.readAll(rendered)).documents().stream()
                .filter(n -> n != null && !n.isNull()).toList();
        assertEquals(bodies(first), reread);
        assertEquals(resource("metallb-v0.14.expected.yaml"), rendered);
    }
}
