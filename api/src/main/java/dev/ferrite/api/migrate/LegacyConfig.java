package dev.ferrite.api.migrate;

import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * The legacy format (MetalLB ≤ 0.12): a ConfigMap whose {@code data.config} holds
 * {@code address-pools:} (and {@code peers:}, {@code bgp-communities:}, {@code bfd-profiles:}),
 * and the deprecated {@code metallb.io/v1beta1} AddressPool kind. Each {@code layer2} pool
 * becomes an IPAddressPool, and one L2Advertisement named {@value #ADVERTISEMENT} lists them,
 * since in that format a layer2 pool was announced from every node.
 *
 * <p>Read strictly, as MetalLB read it ({@code yaml.UnmarshalStrict}): an unknown key is an
 * error naming it (with the closest known key), a value of the wrong type is an error, and text
 * that is not YAML is an error. BGP parts — peers, communities, BFD profiles, {@code bgp} pools
 * and the {@code bgp-advertisements} of any pool — are always reported as not converted.
 */
final class LegacyConfig {

    private static MetallbSchema.Fields fields(String what, Object... pairs) {
        return MetallbSchema.fields(what, pairs);
    }

    static final String ADVERTISEMENT = "layer2";
    static final Set<String> TOP_LEVEL = Set.of("address-pools", "peers", "bgp-communities", "bfd-profiles");

    private static final MetallbSchema.Fields NODE_SELECTOR = fields("a node selector",
            "match-labels", new MetallbSchema.MapOfStrings(),
            "match-expressions", new MetallbSchema.ListOf(fields("a selector requirement",
                    "key", MetallbSchema.STRING, "operator", MetallbSchema.STRING,
                    "values", new MetallbSchema.ListOf(MetallbSchema.STRING))));

    /** MetalLB 0.12's {@code configFile}, key for key. */
    static final MetallbSchema.Fields CONFIG = fields("MetalLB config",
            "peers", new MetallbSchema.ListOf(fields("a peer",
                    "my-asn", MetallbSchema.INTEGER, "peer-asn", MetallbSchema.INTEGER,
                    "peer-address", MetallbSchema.STRING, "source-address", MetallbSchema.STRING,
                    "peer-port", MetallbSchema.INTEGER, "hold-time", MetallbSchema.STRING,
                    "keepalive-time", MetallbSchema.STRING, "router-id", MetallbSchema.STRING,
                    "node-selectors", new MetallbSchema.ListOf(NODE_SELECTOR), "password", MetallbSchema.STRING,
                    "bfd-profile", MetallbSchema.STRING, "ebgp-multihop", MetallbSchema.BOOLEAN)),
            "bgp-communities", new MetallbSchema.MapOfStrings(),
            "address-pools", new MetallbSchema.ListOf(fields("an address pool",
                    "name", MetallbSchema.STRING, "protocol", MetallbSchema.STRING,
                    "addresses", new MetallbSchema.ListOf(MetallbSchema.STRING),
                    "avoid-buggy-ips", MetallbSchema.BOOLEAN, "auto-assign", MetallbSchema.BOOLEAN,
                    "bgp-advertisements", new MetallbSchema.ListOf(fields("a BGP advertisement",
                            "aggregation-length", MetallbSchema.INTEGER, "aggregation-length-v6", MetallbSchema.INTEGER,
                            "localpref", MetallbSchema.INTEGER,
                            "communities", new MetallbSchema.ListOf(MetallbSchema.STRING))))),
            "bfd-profiles", new MetallbSchema.ListOf(fields("a BFD profile",
                    "name", MetallbSchema.STRING, "receive-interval", MetallbSchema.INTEGER,
                    "transmit-interval", MetallbSchema.INTEGER, "detect-multiplier", MetallbSchema.INTEGER,
                    "echo-interval", MetallbSchema.INTEGER, "echo-mode", MetallbSchema.BOOLEAN,
                    "passive-mode", MetallbSchema.BOOLEAN, "minimum-ttl", MetallbSchema.INTEGER)));

    /** The deprecated AddressPool kind's spec. */
    static final MetallbSchema.Fields ADDRESS_POOL_SPEC = fields("AddressPool spec",
            "protocol", MetallbSchema.STRING,
            "addresses", new MetallbSchema.ListOf(MetallbSchema.STRING),
            "autoAssign", MetallbSchema.BOOLEAN,
            "avoidBuggyIPs", MetallbSchema.BOOLEAN,
            "bgpAdvertisements", new MetallbSchema.ListOf(fields("a BGP advertisement",
                    "aggregationLength", MetallbSchema.INTEGER, "aggregationLengthV6", MetallbSchema.INTEGER,
                    "localPref", MetallbSchema.INTEGER, "communities", new MetallbSchema.ListOf(MetallbSchema.STRING))));

    /** The keys one pool is written with: kebab-case in the ConfigMap, camelCase in AddressPool. */
    private record Keys(String addresses, String autoAssign, String avoidBuggyIPs, String bgpAdvertisements) {
        static final Keys CONFIG_MAP = new Keys("addresses", "auto-assign", "avoid-buggy-ips", "bgp-advertisements");
        static final Keys ADDRESS_POOL = new Keys("addresses", "autoAssign", "avoidBuggyIPs", "bgpAdvertisements");

        /** The source field a Ferrite pool field came from, under {@code prefix}. */
        String sourceField(String prefix, String ferriteField) {
            String rest = ferriteField.startsWith("spec.") ? ferriteField.substring("spec.".length()) : ferriteField;
            rest = rest.replaceFirst("^autoAssign", autoAssign).replaceFirst("^avoidBuggyIPs", avoidBuggyIPs);
            return prefix + "." + rest;
        }
    }

    private final Conversion c;

    LegacyConfig(Conversion c) {
        this.c = c;
    }

    /**
     * Whether a ConfigMap is MetalLB's legacy configuration: it has {@code data.config} and is
     * named {@code config}, lives in {@code metallb-system}, or its text starts a top-level key
     * that is (or nearly is) one of MetalLB's.
     */
    static boolean isLegacy(JsonNode configMap) {
        JsonNode text = configMap.path("data").path("config");
        JsonNode meta = configMap.path("metadata");
        boolean metallbsPlace = meta.path("name").asString("").equals("config")
                || meta.path("namespace").asString("").equals(Conversion.METALLB_NAMESPACE);
        if (!text.isString()) {
            // config: 5 or a mapping where the text belongs, in MetalLB's ConfigMap: an error, not a stranger
            return metallbsPlace && !text.isMissingNode() && !text.isNull();
        }
        if (metallbsPlace) {
            return true;
        }
        for (String line : text.stringValue().split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !Character.isWhitespace(line.charAt(0))) {
                String key = line.substring(0, colon).strip();
                if (TOP_LEVEL.contains(key) || MetallbSchema.didYouMean(key, TOP_LEVEL).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    void configMap(JsonNode configMap, Source where) {
        String field = "data.config";
        JsonNode text = configMap.path("data").path("config");
        if (!text.isString()) {
            c.error(where, field, MetallbSchema.show(text) + " is " + MetallbSchema.describe(text) + "; expected MetalLB's "
                    + "configuration as text (config: | and the YAML below it): a ConfigMap's data holds strings only");
            return;
        }
        ImportYaml.Read read = ImportYaml.readAll(text.stringValue());
        if (read instanceof ImportYaml.Read.Unreadable u) {
            c.error(where, field, "is not valid YAML, so MetalLB could not read it either: " + u.problem());
            return;
        }
        List<JsonNode> documents = ((ImportYaml.Read.Documents) read).documents();
        if (documents.size() > 1) {
            c.error(where, field, "holds " + documents.size() + " YAML documents; MetalLB reads one");
            return;
        }
        JsonNode config = documents.isEmpty() ? null : documents.get(0);
        if (config == null || config.isNull()) {
            c.note(where, "data.config is empty: MetalLB had no pools; nothing to convert");
            return;
        }
        List<MetallbSchema.Problem> problems = new ArrayList<>();
        MetallbSchema.check(config, CONFIG, "", problems);
        problems.forEach(p -> c.error(where, p.field().isEmpty() ? field : field + ": " + p.field(), p.message()));
        if (!problems.isEmpty()) {
            return;
        }
        JsonNode peers = config.path("peers");
        if (peers.size() > 0) {
            c.unsupported(where, "data.config peers: " + peers.size() + " BGP peer(s): " + CrdObjects.BGP_WHY
                    + "; not converted");
        }
        if (config.path("bgp-communities").size() > 0) {
            c.unsupported(where, "data.config bgp-communities: " + config.path("bgp-communities").size()
                    + " BGP communit(ies): not supported, Ferrite announces over layer 2 (ARP/NDP) only; not converted");
        }
        if (config.path("bfd-profiles").size() > 0) {
            c.unsupported(where, "data.config bfd-profiles: " + config.path("bfd-profiles").size()
                    + " BFD profile(s): BFD only serves BGP sessions, and " + CrdObjects.BGP_WHY + "; not converted");
        }
        JsonNode pools = config.path("address-pools");
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < pools.size(); i++) {
            JsonNode pool = pools.get(i);
            String prefix = field + ": address-pools[" + i + "]";
            String name = pool.path("name").asString("");
            if (name.isEmpty()) {
                c.error(where, prefix + ".name", "is missing; every address pool needs a name");
                continue;
            }
            if (!seen.add(name)) {
                c.error(where, prefix + ".name", "\"" + name + "\": duplicate definition of pool (MetalLB refuses it)");
                continue;
            }
            pool(where, prefix, name, pool, pool.path("protocol"), Keys.CONFIG_MAP, configMap.path("metadata"), false);
        }
    }

    void addressPool(JsonNode node, Source where) {
        List<MetallbSchema.Problem> problems = new ArrayList<>();
        MetallbSchema.check(node.path("metadata"), MetallbSchema.METADATA, "metadata", problems);
        MetallbSchema.check(node.path("spec"), ADDRESS_POOL_SPEC, "spec", problems);
        if (!c.schemaOk(where, problems)) {
            return;
        }
        Optional<String> name = c.requiredName(where, node, "AddressPool");
        if (name.isEmpty()) {
            return;
        }
        JsonNode spec = node.path("spec");
        pool(where, "spec", name.get(), spec, spec.path("protocol"), Keys.ADDRESS_POOL, node.path("metadata"), true);
    }

    /**
     * One pool of the legacy format. {@code metadata} is the source object's: its namespace (and,
     * for an AddressPool, its labels and annotations) carry over.
     */
    private void pool(Source where, String prefix, String name, JsonNode pool, JsonNode protocol, Keys keys,
            JsonNode metadata, boolean keepMetadata) {
        Source at = prefix.equals("spec") ? where : where.inside("pool " + name);
        int bgpAdvertisements = pool.path(keys.bgpAdvertisements()).size();
        String proto = protocol.asString("");
        if (proto.equals("bgp")) {
            c.notConvertedPools.add(name);
            c.unsupported(at, "pool " + name + " uses protocol bgp" + (bgpAdvertisements > 0
                    ? " (with " + bgpAdvertisements + " bgp-advertisements)" : "") + ": " + CrdObjects.BGP_WHY
                    + "; not converted (set protocol: layer2 and import again to announce it over ARP/NDP)");
            return;
        }
        if (!proto.equals("layer2")) {
            c.error(at, prefix + ".protocol", (protocol.isMissingNode() || protocol.isNull() ? "is missing"
                    : MetallbSchema.show(protocol) + " is not a protocol") + "; MetalLB needs layer2 or bgp");
            return;
        }
        if (bgpAdvertisements > 0) {
            c.unsupported(at, prefix + "." + keys.bgpAdvertisements() + ": " + bgpAdvertisements
                    + " BGP advertisement(s) of a layer2 pool: " + CrdObjects.BGP_WHY + "; not converted");
        }
        Optional<String> outputName = c.outputName(at, prefix + ".name", name);
        if (outputName.isEmpty()) {
            return;
        }
        if (!pool.path(keys.addresses()).isArray()) {
            c.error(at, prefix + "." + keys.addresses(), "is missing; a pool needs a list of CIDRs or ranges");
            return;
        }
        IPAddressPoolSpec spec = new IPAddressPoolSpec();
        spec.setAddresses(Conversion.strings(pool.path(keys.addresses())));
        JsonNode autoAssign = pool.path(keys.autoAssign());
        spec.setAutoAssign(autoAssign.isBoolean() ? autoAssign.booleanValue() : true);
        spec.setAvoidBuggyIPs(pool.path(keys.avoidBuggyIPs()).asBoolean(false));
        ObjectMeta meta = keepMetadata ? c.targetMeta(at, metadata, outputName.get()) : new ObjectMeta();
        meta.setName(outputName.get());
        if (!keepMetadata) {
            meta.setNamespace(c.targetNamespace(at, metadata.path("namespace").asString("")));
        }
        IPAddressPool converted = new IPAddressPool();
        converted.setMetadata(meta);
        converted.setSpec(spec);
        c.poolNames.put(name, outputName.get());
        c.addPool(converted, at, f -> keys.sourceField(prefix, f));
        c.legacyLayer2Pools.put(outputName.get(), meta.getNamespace());
        c.legacyAdvertisementAt = c.out.size();
        c.legacySource = where;
    }
}
