package dev.ferrite.api.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * One table per class of problem the import must handle, with inputs modelled on the layer 2
 * examples of MetalLB's documentation (pools named first-pool, advertisements named example,
 * nodes NodeA/NodeB, the legacy ConfigMap named config).
 */
class MetallbImportClassesTest {

    /** error: document N (kind namespace/name): field: message — and nothing that reads like Java. */
    private static final Pattern ERROR_LINE = Pattern.compile("document \\d+( item \\d+)? \\([^)]*\\): [^:\\s][^:]*(: .*)?: .+");

    private static ImportResult convert(String yaml) {
        return MetallbImport.convert(yaml, Optional.empty());
    }

    private static ImportResult.Converted converted(String yaml) {
        ImportResult r = convert(yaml);
        return assertInstanceOf(ImportResult.Converted.class, r, () -> "not converted: " + r);
    }

    private static List<String> errors(String yaml) {
        ImportResult r = convert(yaml);
        return assertInstanceOf(ImportResult.Invalid.class, r, () -> "not refused: " + r).errors().stream()
                .map(ImportError::toString).toList();
    }

    private static JsonNode spec(ImportResult.Converted c, String kind, String name) {
        return c.documents().stream().map(ImportedDocument::body)
                .filter(b -> b.path("kind").asString("").equals(kind) && b.path("metadata").path("name").asString("").equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + c.documents()))
                .path("spec");
    }

    private static final String POOL = """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: first-pool, namespace: metallb-system}
            spec: {addresses: [192.168.1.240-192.168.1.250]}
            """;

    // ---- every field both sides have carries over ----

    @Test
    void serviceSelectorsAndPreferredNodeSelectorsCarryOver() {
        ImportResult.Converted c = converted(POOL + """
                ---
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: example, namespace: metallb-system}
                spec:
                  ipAddressPools: [first-pool]
                  serviceSelectors:
                  - matchExpressions: [{key: app, operator: In, values: [web]}]
                  preferredNodeSelectors:
                  - weight: 50
                    preference: {matchLabels: {kubernetes.io/hostname: NodeA}}
                  - weight: 10
                    preference: {}
                """);
        JsonNode spec = spec(c, "L2Advertisement", "example");
        assertEquals("web", spec.path("serviceSelectors").get(0).path("matchExpressions").get(0).path("values").get(0).asString());
        assertEquals(50, spec.path("preferredNodeSelectors").get(0).path("weight").asInt());
        assertEquals("NodeA", spec.path("preferredNodeSelectors").get(0).path("preference").path("matchLabels")
                .path("kubernetes.io/hostname").asString());
        assertEquals(2, spec.path("preferredNodeSelectors").size());
        assertFalse(c.hasUnsupported());
    }

    // ---- no input ends in a stack trace: every failure is one located line ----

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("no metadata", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nspec: {addresses: [10.0.0.0/24]}\n",
                        "metadata.name: is missing"),
                Arguments.of("metadata without name", "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {namespace: metallb-system}\n",
                        "metadata.name: is missing"),
                Arguments.of("metadata a string", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: pool\n",
                        "metadata: \"pool\" is a string; expected a mapping"),
                Arguments.of("spec a list", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec: [a]\n",
                        "spec: [\"a\"] is a list; expected a mapping"),
                Arguments.of("name a number", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: 5}\nspec: {addresses: [10.0.0.0/24]}\n",
                        "metadata.name: 5 is a whole number; expected a string"),
                Arguments.of("a scalar document", "just text\n", "is not a Kubernetes object"),
                Arguments.of("no kind", "apiVersion: metallb.io/v1beta1\nmetadata: {name: x}\n", "kind: is missing"),
                Arguments.of("List items not a list", "apiVersion: v1\nkind: List\nitems: {a: 1}\n", "items: is a mapping"),
                Arguments.of("address-pools not a list", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: config, namespace: metallb-system}
                        data:
                          config: |
                            address-pools: first-pool
                        """, "data.config: address-pools: \"first-pool\" is a string; expected a list"),
                Arguments.of("config a list", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: config, namespace: metallb-system}
                        data:
                          config: |
                            - name: first-pool
                        """, "data.config: [{\"name\":\"first-pool\"}] is a list; expected a mapping"),
                Arguments.of("a pool entry a string", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: config, namespace: metallb-system}
                        data:
                          config: |
                            address-pools: [first-pool]
                        """, "data.config: address-pools[0]: \"first-pool\" is a string; expected a mapping"),
                Arguments.of("selector values a string", POOL + """
                        ---
                        apiVersion: metallb.io/v1beta1
                        kind: L2Advertisement
                        metadata: {name: example, namespace: metallb-system}
                        spec: {nodeSelectors: [{matchExpressions: [{key: zone, operator: In, values: east}]}]}
                        """, "spec.nodeSelectors[0].matchExpressions[0].values: \"east\" is a string; expected a list"),
                Arguments.of("an unknown alias", "a: *nothing\n", "alias *nothing refers to no anchor"),
                Arguments.of("a misspelt spec", "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: example}\n"
                        + "spek: {ipAddressPools: [first-pool]}\n", "spek: unknown field \"spek\"; did you mean \"spec\"?"),
                Arguments.of("a key twice", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nkind: L2Advertisement\n",
                        "key \"kind\" is given twice in one mapping"),
                Arguments.of("apiVersion a number", "apiVersion: 1\nkind: IPAddressPool\n",
                        "apiVersion: 1 is a whole number; expected a string"),
                Arguments.of("the legacy config a number", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: config, namespace: metallb-system}
                        data: {config: 5}
                        """, "data.config: 5 is a whole number; expected MetalLB's configuration as text"),
                Arguments.of("the legacy config a mapping", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: config, namespace: metallb-system}
                        data:
                          config: {address-pools: []}
                        """, "data.config: {\"address-pools\":[]} is a mapping; expected MetalLB's configuration as text"),
                Arguments.of("a Service annotation a number", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web, annotations: {metallb.universe.tf/address-pool: 5}}
                        """, "metadata.annotations[metallb.universe.tf/address-pool]: 5 is a whole number; expected a string"),
                Arguments.of("a Service annotation a list", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: web, annotations: {metallb.universe.tf/loadBalancerIPs: [198.18.0.1]}}
                        """, "metadata.annotations[metallb.universe.tf/loadBalancerIPs]: [\"198.18.0.1\"] is a list; expected a string"),
                Arguments.of("a Service without a name", "apiVersion: v1\nkind: Service\nspec: {type: LoadBalancer}\n",
                        "metadata.name: is missing; every Service needs a name"),
                Arguments.of("a Service name Kubernetes refuses", "apiVersion: v1\nkind: Service\nmetadata: {name: Web_1}\n",
                        "metadata.name: \"Web_1\" is not a valid Service name"),
                Arguments.of("a namespace Kubernetes refuses", "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
                        + "metadata: {name: first-pool, namespace: Metal_LB}\nspec: {addresses: [192.168.1.240/28]}\n",
                        "metadata.namespace: \"Metal_LB\" is not a valid namespace name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsOneLocatedErrorLine(String description, String yaml, String expected) {
        List<String> errors = errors(yaml);
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), () -> expected + " not in " + errors);
        for (String e : errors) {
            assertTrue(ERROR_LINE.matcher(e).matches(), "not of the form document N (kind ns/name): field: message: " + e);
            assertFalse(e.contains("java.") || e.contains("Exception") || e.contains("`") || e.contains("Cannot deserialize"),
                    "reads like Java: " + e);
        }
    }

    // ---- type errors: the path, the value, what was expected ----

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("spec: {addresses: [10.0.0.0/24], autoAssign: \"false\"}",
                        "spec.autoAssign: \"false\" is a string; expected true or false (a YAML boolean, not quoted) (write false without quotes)"),
                Arguments.of("spec: {addresses: [10.0.0.0/24], avoidBuggyIPs: 1}",
                        "spec.avoidBuggyIPs: 1 is a whole number; expected true or false"),
                Arguments.of("spec: {addresses: [10.0.0.0/24], serviceAllocation: {priority: \"5\"}}",
                        "spec.serviceAllocation.priority: \"5\" is a string; expected a whole number (not quoted) (write 5 without quotes)"),
                Arguments.of("spec: {addresses: [10.0.0.0/24, 7]}", "spec.addresses[1]: 7 is a whole number; expected a string"),
                Arguments.of("spec: {addresses: [10.0.0.0/24], serviceAllocation: {namespaces: [shop], serviceSelectors: [{matchLabels: {tier: 1}}]}}",
                        "spec.serviceAllocation.serviceSelectors[0].matchLabels[tier]: 1 is a whole number; expected a string (unquoted, it is a number to kubectl too; quote the value)"),
                Arguments.of("spec: {adresses: [10.0.0.0/24]}",
                        "spec.adresses: unknown field \"adresses\"; did you mean \"addresses\"?"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongTypes")
    void aValueOfTheWrongTypeNamesPathValueAndExpectation(String spec, String expected) {
        List<String> errors = errors("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: first-pool, namespace: metallb-system}\n" + spec + "\n");
        assertTrue(errors.stream().anyMatch(e -> e.equals("document 1 (IPAddressPool metallb-system/first-pool): " + expected)
                || e.startsWith("document 1 (IPAddressPool metallb-system/first-pool): " + expected)), errors::toString);
    }

    // ---- the legacy ConfigMap, read strictly ----

    private static String legacy(String config) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\ndata:\n  config: |\n"
                + config.indent(4);
    }

    static Stream<Arguments> legacyErrors() {
        return Stream.of(
                Arguments.of("adress-pools:\n- name: default\n  protocol: layer2\n  addresses: [192.168.1.240/28]\n",
                        "data.config: adress-pools: unknown field \"adress-pools\"; did you mean \"address-pools\"?"),
                Arguments.of("address-pools:\n- name: default\n  protocol: layer2\n  adresses: [192.168.1.240/28]\n",
                        "data.config: address-pools[0].adresses: unknown field \"adresses\"; did you mean \"addresses\"?"),
                Arguments.of("address-pools:\n- name: default\n  protocol: layer2\n  auto-assign: \"maybe\"\n  addresses: [192.168.1.240/28]\n",
                        "data.config: address-pools[0].auto-assign: \"maybe\" is a string; expected true or false"),
                Arguments.of("address-pools: [\n", "data.config: is not valid YAML"),
                Arguments.of("address-pools:\n- name: default\n  protocol: layer2\n  addresses: [192.168.1.240/28]\n"
                        + "- name: default\n  protocol: layer2\n  addresses: [192.168.2.240/28]\n",
                        "data.config: address-pools[1].name: \"default\": duplicate definition of pool"),
                Arguments.of("address-pools:\n- protocol: layer2\n  addresses: [192.168.1.240/28]\n",
                        "data.config: address-pools[0].name: is missing"),
                Arguments.of("peers:\n- peer-address: 10.0.0.1\n  peer-asn: \"64501\"\n",
                        "data.config: peers[0].peer-asn: \"64501\" is a string; expected a whole number"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("legacyErrors")
    void theLegacyConfigMapIsParsedAsStrictlyAsMetallbParsedIt(String config, String expected) {
        List<String> errors = errors(legacy(config));
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), () -> expected + " not in " + errors);
    }

    @Test
    void everyBgpPartOfTheLegacyConfigMapIsReported() {
        ImportResult.Converted c = converted(legacy("""
                peers:
                - peer-address: 10.0.0.1
                  peer-asn: 64501
                  my-asn: 64500
                bgp-communities:
                  no-advertise: 65535:65282
                bfd-profiles:
                - name: fast
                address-pools:
                - name: default
                  protocol: layer2
                  addresses: [192.168.1.240/28]
                  bgp-advertisements:
                  - aggregation-length: 32
                - name: routed
                  protocol: bgp
                  addresses: [192.168.10.0/24]
                  bgp-advertisements:
                  - localpref: 100
                """));
        List<String> unsupported = c.findings().stream().filter(f -> f.kind() == Finding.Kind.UNSUPPORTED)
                .map(Finding::toString).toList();
        assertEquals(5, unsupported.size(), unsupported::toString);
        for (String part : List.of("peers", "bgp-communities", "bfd-profiles", "address-pools[0].bgp-advertisements",
                "pool routed uses protocol bgp (with 1 bgp-advertisements)")) {
            assertTrue(unsupported.stream().anyMatch(u -> u.contains(part)), part + " not reported: " + unsupported);
        }
        assertEquals("192.168.1.240/28", spec(c, "IPAddressPool", "default").path("addresses").get(0).asString());
    }

    // ---- documents that are neither MetalLB's nor known ----

    @Test
    void aDocumentThatIsNotMetallbsIsReportedAndLeftOut() {
        ImportResult.Converted c = converted(POOL + """
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: speaker, namespace: metallb-system}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-settings, namespace: shop}
                data: {config: "color: blue"}
                """);
        assertTrue(c.hasUnsupported());
        assertEquals(List.of("IPAddressPool"), c.documents().stream().map(d -> d.body().path("kind").asString()).toList());
        List<String> unsupported = c.findings().stream().filter(f -> f.kind() == Finding.Kind.UNSUPPORTED)
                .map(f -> f.origin().toString()).toList();
        assertEquals(List.of("document 2 (DaemonSet metallb-system/speaker)", "document 3 (ConfigMap shop/app-settings)"),
                unsupported);
    }

    // ---- names ----

    @Test
    void invalidNamesAreLowerCasedAsMetallbsConverterDoesAndReferencesFollow() {
        ImportResult.Converted c = converted(legacy("""
                address-pools:
                - name: Capitalized_AddressPool
                  protocol: layer2
                  addresses: [192.168.1.240/28]
                - name: 01-numbered
                  protocol: layer2
                  addresses: [192.168.2.240/28]
                """) + """
                ---
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: example, namespace: metallb-system}
                spec: {ipAddressPools: [Capitalized_AddressPool]}
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: shop
                  annotations: {metallb.universe.tf/address-pool: Capitalized_AddressPool}
                spec: {type: LoadBalancer}
                """);
        assertEquals("192.168.1.240/28", spec(c, "IPAddressPool", "capitalized-addresspool").path("addresses").get(0).asString());
        // A valid Kubernetes name stays as it is, though MetalLB's converter also dropped leading digits.
        assertEquals("192.168.2.240/28", spec(c, "IPAddressPool", "01-numbered").path("addresses").get(0).asString());
        assertEquals("capitalized-addresspool", spec(c, "L2Advertisement", "example").path("ipAddressPools").get(0).asString());
        assertEquals(List.of("01-numbered", "capitalized-addresspool"),
                List.of(spec(c, "L2Advertisement", "layer2").path("ipAddressPools").get(0).asString(),
                        spec(c, "L2Advertisement", "layer2").path("ipAddressPools").get(1).asString()));
        JsonNode service = c.documents().stream().map(ImportedDocument::body)
                .filter(b -> b.path("kind").asString("").equals("Service")).findFirst().orElseThrow();
        assertEquals("capitalized-addresspool", service.path("metadata").path("annotations").path("ferrite.dev/address-pool").asString());
    }

    @Test
    void aNameThatCannotBeConvertedIsRefusedWithTheRule() {
        List<String> errors = errors("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: café, namespace: metallb-system}
                spec: {addresses: [192.168.1.240/28]}
                """);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("document 1 (IPAddressPool metallb-system/café): metadata.name: \"café\" is not a "
                + "valid Kubernetes object name: a name must consist of lower case letters"), errors::toString);
    }

    // ---- namespaces ----

    @Test
    void anObjectOutsideMetallbSystemGetsAWarning() {
        ImportResult.Converted c = converted(POOL.replace("metallb-system", "lb"));
        List<Finding> warnings = c.findings().stream().filter(f -> f.kind() == Finding.Kind.WARNING).toList();
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).message().contains("namespace lb is not metallb-system"), warnings::toString);
        assertTrue(warnings.get(0).message().contains("--namespace"), warnings::toString);
        assertFalse(c.hasUnsupported());
    }

    // ---- anchors, aliases, merge keys; bounded expansion ----

    @Test
    void anchorsAliasesAndMergeKeysAreResolved() {
        ImportResult.Converted c = converted("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: first-pool, namespace: metallb-system}
                spec: &common
                  addresses: &lan [192.168.1.240/28]
                  autoAssign: false
                ---
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: &meta {name: example, namespace: metallb-system, labels: &labels {site: home}}
                spec:
                  ipAddressPoolSelectors: [{matchLabels: *labels}]
                  nodeSelectors:
                  - &nodeA {matchLabels: {kubernetes.io/hostname: NodeA}}
                  - <<: *nodeA
                    matchExpressions: [{key: zone, operator: Exists}]
                """);
        JsonNode advertisement = spec(c, "L2Advertisement", "example");
        assertEquals("home", advertisement.path("ipAddressPoolSelectors").get(0).path("matchLabels").path("site").asString());
        assertEquals("NodeA", advertisement.path("nodeSelectors").get(1).path("matchLabels").path("kubernetes.io/hostname").asString());
        assertEquals("zone", advertisement.path("nodeSelectors").get(1).path("matchExpressions").get(0).path("key").asString());
        assertFalse(spec(c, "IPAddressPool", "first-pool").path("autoAssign").asBoolean(true));
    }

    @Test
    void anAliasBombIsRefusedNotExpanded() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 12; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        List<String> errors = errors(yaml.toString());
        assertTrue(errors.get(0).contains("aliases expand to more than"), errors::toString);
    }

    // ---- YAML scalars as kubectl reads them (YAML 1.1): ~ is null, yes/no/on/off are booleans ----

    static Stream<Arguments> kubectlScalars() {
        return Stream.of(
                Arguments.of("autoAssign: no", "autoAssign", "false"),
                Arguments.of("autoAssign: Off", "autoAssign", "false"),
                Arguments.of("autoAssign: n", "autoAssign", "false"),
                Arguments.of("avoidBuggyIPs: yes", "avoidBuggyIPs", "true"),
                Arguments.of("avoidBuggyIPs: ON", "avoidBuggyIPs", "true"),
                Arguments.of("autoAssign: ~", "autoAssign", "absent"),
                Arguments.of("autoAssign: null", "autoAssign", "absent"),
                Arguments.of("autoAssign:", "autoAssign", "absent"),
                Arguments.of("serviceAllocation: {priority: 0x10}", "serviceAllocation", "{\"priority\":16}"),
                Arguments.of("serviceAllocation: {priority: 1_0}", "serviceAllocation", "{\"priority\":10}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubectlScalars")
    void anUnquotedScalarMeansWhatItMeansToKubectl(String field, String name, String expected) {
        ImportResult.Converted c = converted("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: first-pool, namespace: metallb-system}
                spec:
                  addresses: [192.168.1.240/28]
                  %s
                """.formatted(field));
        JsonNode value = spec(c, "IPAddressPool", "first-pool").path(name);
        assertEquals(expected, value.isMissingNode() ? "absent" : value.toString());
    }

    static Stream<Arguments> kubectlScalarErrors() {
        return Stream.of(
                Arguments.of("spec: {addresses: [192.168.1.240/28], autoAssign: \"no\"}",
                        "spec.autoAssign: \"no\" is a string; expected true or false"),
                Arguments.of("spec: {addresses: [~]}", "spec.addresses[0]: null is not a string"),
                Arguments.of("spec: {addresses: [192.168.1.240/28], serviceAllocation: {serviceSelectors: "
                        + "[{matchLabels: {exposed: yes}}]}}", "spec.serviceAllocation.serviceSelectors[0].matchLabels[exposed]: "
                        + "true is a boolean; expected a string (unquoted, true/false and YAML 1.1's yes/no/on/off/y/n are "
                        + "booleans to kubectl too; quote the value)"),
                Arguments.of("spec: {addresses: [192.168.1.240/28], serviceAllocation: {namespaces: [on]}}",
                        "spec.serviceAllocation.namespaces[0]: true is a boolean; expected a string"),
                Arguments.of("spec: {addresses: [.inf]}", "JSON (and so the API server) cannot hold"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubectlScalarErrors")
    void aScalarKubectlWouldSendWithTheWrongTypeIsAnError(String spec, String expected) {
        List<String> errors = errors("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
                + "metadata: {name: first-pool, namespace: metallb-system}\n" + spec + "\n");
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), () -> expected + " not in " + errors);
    }

    @Test
    void aNameKubectlReadsAsABooleanIsAnErrorNotTheWord() {
        List<String> errors = errors("apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\n"
                + "metadata: {name: yes, namespace: metallb-system}\nspec: {addresses: [192.168.1.240/28]}\n");
        assertTrue(errors.get(0).contains("metadata.name: true is a boolean; expected a string"), errors::toString);
    }

    @Test
    void stringsThatReadAsOtherTypesInYaml11AreQuotedInTheOutput() {
        List<String> tricky = List.of("yes", "no", "on", "off", "y", "N", "~", "null", "", "0x1F", "017", "1_000",
                "1e+3", ".5", "true", "12", "-");
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < tricky.size(); i++) {
            labels.append("    l").append(i).append(": '").append(tricky.get(i)).append("'\n");
        }
        ImportResult.Converted c = converted("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata:
                  name: first-pool
                  namespace: metallb-system
                  labels:
                %s
                spec: {addresses: [192.168.1.240/28]}
                """.formatted(labels.toString().stripTrailing()));
        String rendered = c.render();
        JsonNode reread = ((ImportYaml.Read.Documents) ImportYaml.readAll(rendered)).documents().get(0)
                .path("metadata").path("labels");
        for (int i = 0; i < tricky.size(); i++) {
            JsonNode v = reread.path("l" + i);
            assertTrue(v.isString() && v.stringValue().equals(tricky.get(i)),
                    "label l" + i + " \"" + tricky.get(i) + "\" reads back as " + v + " from:\n" + rendered);
        }
    }

    // ---- large inputs ----

    @Test
    void aListOfThousandsOfPoolsConverts() {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (int i = 0; i < 5000; i++) {
            yaml.append("- apiVersion: metallb.io/v1beta1\n  kind: IPAddressPool\n  metadata: {name: pool-").append(i)
                    .append(", namespace: metallb-system}\n  spec: {addresses: [10.").append(i / 256).append('.')
                    .append(i % 256).append(".0/24]}\n");
        }
        yaml.append("- apiVersion: metallb.io/v1beta1\n  kind: L2Advertisement\n  metadata: {name: all, namespace: metallb-system}\n");
        ImportResult.Converted c = converted(yaml.toString());
        assertEquals(5001, c.documents().size());
        assertTrue(c.render().contains("# from document 1 item 5000 (IPAddressPool metallb-system/pool-4999)"));
    }

    // ---- MetalLB's speaker manifest: its gratuitous ARP interval ----

    static Stream<Arguments> speakerIntervals() {
        return Stream.of(
                Arguments.of("args: [--port=7472, --gratuitous-arp-interval=30]", "30s"),
                Arguments.of("args: [--gratuitous-arp-interval, \"45\"]", "45s"),
                Arguments.of("env: [{name: METALLB_GRATUITOUS_ARP_INTERVAL, value: \"60\"}]", "60s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("speakerIntervals")
    void theSpeakersGratuitousArpIntervalBecomesGarpRefresh(String container, String refresh) {
        ImportResult.Converted c = converted(POOL + """
                ---
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata: {name: example, namespace: metallb-system}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: speaker, namespace: metallb-system}
                spec:
                  template:
                    spec:
                      containers:
                      - name: speaker
                        image: quay.io/metallb/speaker:v0.16.1
                        %s
                """.formatted(container));
        assertEquals(refresh, spec(c, "L2Advertisement", "example").path("garpRefresh").asString());
        assertFalse(c.hasUnsupported(), c.findings()::toString);
        assertEquals(List.of("IPAddressPool", "L2Advertisement"),
                c.documents().stream().map(d -> d.body().path("kind").asString()).toList());
    }

    @Test
    void yaml11BooleansOfTheLegacyConfigAreReadAsMetallbReadThem() {
        ImportResult.Converted c = converted(legacy("""
                address-pools:
                - name: default
                  protocol: layer2
                  auto-assign: no
                  avoid-buggy-ips: yes
                  addresses: [192.168.1.240/28]
                """));
        assertFalse(spec(c, "IPAddressPool", "default").path("autoAssign").asBoolean(true));
        assertTrue(spec(c, "IPAddressPool", "default").path("avoidBuggyIPs").asBoolean(false));
    }
}
