package dev.ferrite.api.migrate;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.ConfigError;
import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.IPAddressPoolSpec;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a MetalLB configuration (any mix of documents in one YAML stream) into Ferrite's.
 * Pure: text in, {@link ImportResult} out.
 *
 * <ul>
 *   <li>{@code metallb.io/v1beta1} IPAddressPool and L2Advertisement become
 *   {@code ferrite.dev/v1beta1} objects with the same fields (Ferrite kept MetalLB's names).</li>
 *   <li>The legacy format — a ConfigMap whose {@code data.config} holds {@code address-pools:},
 *   and the deprecated {@code metallb.io/v1beta1} AddressPool — becomes one IPAddressPool per
 *   {@code layer2} pool plus one L2Advertisement named {@value #LEGACY_ADVERTISEMENT} listing
 *   them, since in that format a layer2 pool was announced from every node.</li>
 *   <li>BGP content (BGPPeer, BGPAdvertisement, BFDProfile, Community, {@code bgp} pools,
 *   {@code peers:}, {@code bgp-communities:}) is reported as {@link Finding.Kind#UNSUPPORTED}:
 *   never silently dropped.</li>
 *   <li>{@code v1} Services keep everything but their MetalLB annotations, which are renamed
 *   to {@code ferrite.dev/…}; two aliases of one key with different values are an error.</li>
 *   <li>Any other document passes through unchanged, with a note.</li>
 * </ul>
 * Namespaces: {@code metallb-system} (or none) becomes {@code ferrite-system}, any other is
 * kept, unless an override is given. The converted pools and advertisements are then checked
 * by {@link ConfigParser}, the same validation the controller and the webhook apply.
 */
public final class MetallbImport {

    public static final String METALLB_GROUP = "metallb.io";
    public static final String METALLB_NAMESPACE = "metallb-system";
    public static final String FERRITE_NAMESPACE = "ferrite-system";
    public static final String LEGACY_ADVERTISEMENT = "layer2";

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** Service annotation suffixes with a Ferrite equivalent under {@code ferrite.dev/}. */
    static final List<String> SERVICE_ANNOTATIONS =
            List.of("address-pool", "loadBalancerIPs", "allow-shared-ip", "ip-allocated-from-pool");

    private static final Set<String> POOL_FIELDS = Set.of("addresses", "autoAssign", "avoidBuggyIPs", "serviceAllocation");
    private static final Set<String> ADVERTISEMENT_FIELDS =
            Set.of("ipAddressPools", "ipAddressPoolSelectors", "nodeSelectors", "interfaces");
    private static final Set<String> LEGACY_TOP_LEVEL = Set.of("address-pools", "peers", "bgp-communities", "bfd-profiles");
    private static final String BGP_WHY = "BGP is not supported: Ferrite announces over layer 2 (ARP/NDP) only";

    private MetallbImport() {
    }

    /**
     * @param namespace the namespace of every converted pool and advertisement; empty keeps
     *                  each source namespace (mapping {@code metallb-system} to {@code ferrite-system})
     */
    public static ImportResult convert(String yamlStream, Optional<String> namespace) {
        List<JsonNode> documents;
        try {
            documents = ImportYaml.readAll(yamlStream);
        } catch (JacksonException e) {
            return new ImportResult.Unreadable("the input is not valid YAML: " + e.getOriginalMessage().strip());
        }
        Conversion c = new Conversion(namespace);
        for (int i = 0; i < documents.size(); i++) {
            c.document(documents.get(i), "document " + (i + 1));
        }
        return c.finish();
    }

    /** The state of one conversion: what came out so far, and what was found on the way. */
    private static final class Conversion {
        private final ObjectMapper json = Serialization.jsonMapper();
        private final Optional<String> namespace;
        private final List<ImportedDocument> out = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        private final List<ConfigError> errors = new ArrayList<>();
        private final List<IPAddressPool> pools = new ArrayList<>();
        private final List<L2Advertisement> advertisements = new ArrayList<>();
        private final Map<IPAddressPool, String> poolOrigins = new LinkedHashMap<>();
        private final Set<String> legacyLayer2Pools = new TreeSet<>();
        private final Set<String> notConvertedPools = new TreeSet<>();
        private final List<ServiceNote> poolReferences = new ArrayList<>();
        private int legacyAdvertisementAt = -1;
        private String legacyNamespace;

        Conversion(Optional<String> namespace) {
            this.namespace = namespace;
        }

        void document(JsonNode node, String where) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return;
            }
            if (!node.isObject()) {
                errors.add(new ConfigError("document", where.substring("document ".length()), "content", node.toString(),
                        "is not a Kubernetes object (a mapping with apiVersion and kind)"));
                return;
            }
            String apiVersion = node.path("apiVersion").asString("");
            String kind = node.path("kind").asString("");
            String origin = where + " (" + describe(apiVersion, kind, node.path("metadata")) + ")";
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);

            if (apiVersion.equals("v1") && kind.equals("List")) {
                JsonNode items = node.path("items");
                for (int i = 0; i < items.size(); i++) {
                    document(items.get(i), where + " item " + (i + 1));
                }
                return;
            }
            if (group.equals(METALLB_GROUP)) {
                metallbObject(node, kind, version, origin);
            } else if (apiVersion.equals("v1") && kind.equals("Service")) {
                service((ObjectNode) node, origin);
            } else if (apiVersion.equals("v1") && kind.equals("ConfigMap") && legacyConfig(node).isPresent()) {
                legacyConfigMap(node, legacyConfig(node).get(), origin);
            } else {
                findings.add(note(origin, "not a MetalLB object; passed through unchanged"));
                out.add(new ImportedDocument(origin, node));
            }
        }

        private void metallbObject(JsonNode node, String kind, String version, String origin) {
            switch (kind) {
                case "IPAddressPool" -> {
                    if (knownVersion(version, origin)) {
                        pool(node, origin);
                    }
                }
                case "L2Advertisement" -> {
                    if (knownVersion(version, origin)) {
                        advertisement(node, origin);
                    }
                }
                case "AddressPool" -> {
                    JsonNode spec = node.path("spec");
                    legacyPool(origin, "AddressPool", nameOf(node), "spec", spec, node.path("metadata"),
                            "protocol", "addresses", "autoAssign", "avoidBuggyIPs",
                            Set.of("protocol", "addresses", "autoAssign", "avoidBuggyIPs", "bgpAdvertisements"));
                }
                case "BGPPeer" -> findings.add(unsupported(origin, BGP_WHY + "; the BGP session is not converted"));
                case "BGPAdvertisement" -> {
                    notConvertedPools.addAll(strings(node.path("spec").path("ipAddressPools")));
                    findings.add(unsupported(origin, BGP_WHY + "; the advertisement is not converted (its pools are, "
                            + "and are announced only where an L2Advertisement selects them)"));
                }
                case "BFDProfile" -> findings.add(unsupported(origin,
                        "BFD only serves BGP sessions, and " + BGP_WHY + "; not converted"));
                case "Community" -> findings.add(unsupported(origin,
                        "BGP communities are not supported: Ferrite announces over layer 2 (ARP/NDP) only; not converted"));
                case "ServiceL2Status", "ServiceBGPStatus", "ConfigurationState" -> findings.add(note(origin,
                        "status written by MetalLB; left out (Ferrite writes its own)"));
                default -> findings.add(unsupported(origin, "MetalLB kind " + kind + " has no Ferrite equivalent; not converted"));
            }
        }

        private boolean knownVersion(String version, String origin) {
            if (version.equals("v1beta1")) {
                return true;
            }
            findings.add(unsupported(origin, "version " + version + " is not known (expected metallb.io/v1beta1); not converted"));
            return false;
        }

        // ---- IPAddressPool and L2Advertisement ----

        private void pool(JsonNode node, String origin) {
            String name = nameOf(node);
            ObjectNode spec = knownFields(node.path("spec"), POOL_FIELDS, origin);
            IPAddressPoolSpec converted;
            try {
                converted = json.treeToValue(spec, IPAddressPoolSpec.class);
            } catch (JacksonException e) {
                errors.add(new ConfigError(ConfigParser.POOL_KIND, name, "spec", spec.toString(),
                        "cannot be read: " + e.getOriginalMessage()));
                return;
            }
            IPAddressPool pool = new IPAddressPool();
            pool.setMetadata(targetMeta(node.path("metadata")));
            pool.setSpec(converted);
            addPool(pool, origin);
        }

        private void advertisement(JsonNode node, String origin) {
            String name = nameOf(node);
            ObjectNode spec = knownFields(node.path("spec"), ADVERTISEMENT_FIELDS, origin);
            L2AdvertisementSpec converted;
            try {
                converted = json.treeToValue(spec, L2AdvertisementSpec.class);
            } catch (JacksonException e) {
                errors.add(new ConfigError(ConfigParser.ADVERTISEMENT_KIND, name, "spec", spec.toString(),
                        "cannot be read: " + e.getOriginalMessage()));
                return;
            }
            L2Advertisement advertisement = new L2Advertisement();
            advertisement.setMetadata(targetMeta(node.path("metadata")));
            advertisement.setSpec(converted);
            advertisements.add(advertisement);
            out.add(new ImportedDocument(origin, tree(advertisement)));
        }

        private void addPool(IPAddressPool pool, String origin) {
            pools.add(pool);
            poolOrigins.put(pool, origin);
            out.add(new ImportedDocument(origin, tree(pool)));
        }

        /** A copy of {@code spec} without the fields Ferrite lacks, each reported. */
        private ObjectNode knownFields(JsonNode spec, Set<String> known, String origin) {
            ObjectNode copy = json.createObjectNode();
            if (!spec.isObject()) {
                return copy;
            }
            for (Map.Entry<String, JsonNode> e : spec.properties()) {
                if (known.contains(e.getKey())) {
                    copy.set(e.getKey(), e.getValue());
                } else {
                    findings.add(unsupported(origin, "spec." + e.getKey() + " has no Ferrite equivalent; left out"));
                }
            }
            return copy;
        }

        // ---- the legacy format ----

        private Optional<JsonNode> legacyConfig(JsonNode configMap) {
            JsonNode text = configMap.path("data").path("config");
            if (!text.isString()) {
                return Optional.empty();
            }
            JsonNode config;
            try {
                config = ImportYaml.readTree(text.stringValue());
            } catch (JacksonException e) {
                return Optional.empty();
            }
            if (config == null || !config.isObject()) {
                return Optional.empty();
            }
            for (String key : config.propertyNames()) {
                if (LEGACY_TOP_LEVEL.contains(key)) {
                    return Optional.of(config);
                }
            }
            return Optional.empty();
        }

        private void legacyConfigMap(JsonNode configMap, JsonNode config, String origin) {
            String cm = nameOf(configMap);
            for (Map.Entry<String, JsonNode> e : config.properties()) {
                JsonNode value = e.getValue();
                switch (e.getKey()) {
                    case "address-pools" -> {
                        for (int i = 0; i < value.size(); i++) {
                            JsonNode pool = value.get(i);
                            String poolName = pool.path("name").asString("");
                            legacyPool(origin + " address-pools[" + i + "]", "ConfigMap", cm,
                                    "data.config address-pools[" + i + "]", pool, configMap.path("metadata"),
                                    "protocol", "addresses", "auto-assign", "avoid-buggy-ips",
                                    Set.of("name", "protocol", "addresses", "auto-assign", "avoid-buggy-ips",
                                            "bgp-advertisements"), poolName);
                        }
                    }
                    case "peers" -> findings.add(unsupported(origin, value.size() + " BGP peer(s) in peers: " + BGP_WHY
                            + "; not converted"));
                    case "bgp-communities" -> findings.add(unsupported(origin, "bgp-communities: BGP communities are "
                            + "not supported: Ferrite announces over layer 2 (ARP/NDP) only; not converted"));
                    case "bfd-profiles" -> findings.add(unsupported(origin, "bfd-profiles: BFD only serves BGP sessions, "
                            + "and " + BGP_WHY + "; not converted"));
                    default -> findings.add(unsupported(origin, "key " + e.getKey()
                            + " of data.config has no Ferrite equivalent; left out"));
                }
            }
        }

        private void legacyPool(String origin, String sourceKind, String sourceName, String field, JsonNode pool,
                JsonNode metadata, String protocolKey, String addressesKey, String autoAssignKey, String avoidKey,
                Set<String> known) {
            legacyPool(origin, sourceKind, sourceName, field, pool, metadata, protocolKey, addressesKey, autoAssignKey,
                    avoidKey, known, sourceName);
        }

        /**
         * One pool of the legacy format, from a ConfigMap entry or an AddressPool's spec.
         * {@code metadata} is the source object's: its namespace (and, for an AddressPool, its
         * labels and annotations) carry over.
         */
        private void legacyPool(String origin, String sourceKind, String sourceName, String field, JsonNode pool,
                JsonNode metadata, String protocolKey, String addressesKey, String autoAssignKey, String avoidKey,
                Set<String> known, String poolName) {
            int errorsBefore = errors.size();
            if (!pool.isObject()) {
                errors.add(new ConfigError(sourceKind, sourceName, field, pool.toString(), "is not a mapping"));
                return;
            }
            for (String key : pool.propertyNames()) {
                if (!known.contains(key)) {
                    findings.add(unsupported(origin, field + "." + key + " has no Ferrite equivalent; left out"));
                }
            }
            String protocol = pool.path(protocolKey).asString("");
            if (protocol.equals("bgp")) {
                notConvertedPools.add(poolName);
                findings.add(unsupported(origin, "pool " + poolName + " uses protocol bgp: " + BGP_WHY
                        + "; not converted (set protocol: layer2 and import again to announce it over ARP/NDP)"));
                return;
            }
            if (!protocol.equals("layer2")) {
                errors.add(new ConfigError(sourceKind, sourceName, field + "." + protocolKey,
                        pool.path(protocolKey).asString(""), "must be layer2 or bgp"));
            }
            if (poolName.isEmpty()) {
                errors.add(new ConfigError(sourceKind, sourceName, field + ".name", "", "is required"));
            }
            List<String> addresses = new ArrayList<>();
            JsonNode list = pool.path(addressesKey);
            if (!list.isArray() || !allStrings(list)) {
                errors.add(new ConfigError(sourceKind, sourceName, field + "." + addressesKey, list.toString(),
                        "must be a list of CIDRs or ranges"));
            } else {
                addresses.addAll(strings(list));
            }
            Boolean autoAssign = flag(pool, autoAssignKey, true, sourceKind, sourceName, field);
            Boolean avoidBuggyIPs = flag(pool, avoidKey, false, sourceKind, sourceName, field);
            if (errors.size() > errorsBefore) {
                return;
            }
            IPAddressPoolSpec spec = new IPAddressPoolSpec();
            spec.setAddresses(addresses);
            spec.setAutoAssign(autoAssign);
            spec.setAvoidBuggyIPs(avoidBuggyIPs);
            IPAddressPool converted = new IPAddressPool();
            ObjectMeta meta = sourceKind.equals("AddressPool") ? targetMeta(metadata) : new ObjectMeta();
            meta.setName(poolName);
            meta.setNamespace(targetNamespace(metadata.path("namespace").asString("")));
            converted.setMetadata(meta);
            converted.setSpec(spec);
            addPool(converted, origin);
            legacyLayer2Pools.add(poolName);
            legacyAdvertisementAt = out.size();
            legacyNamespace = meta.getNamespace();
        }

        private Boolean flag(JsonNode pool, String key, boolean otherwise, String sourceKind, String sourceName, String field) {
            JsonNode value = pool.path(key);
            if (value.isMissingNode() || value.isNull()) {
                return otherwise;
            }
            if (!value.isBoolean()) {
                errors.add(new ConfigError(sourceKind, sourceName, field + "." + key, value.asString(""),
                        "must be true or false"));
                return otherwise;
            }
            return value.booleanValue();
        }

        // ---- Services ----

        private void service(ObjectNode node, String origin) {
            ObjectNode copy = node.deepCopy();
            JsonNode annotations = copy.path("metadata").path("annotations");
            String name = namespacedName(node.path("metadata"));
            if (!annotations.isObject()) {
                out.add(new ImportedDocument(origin, copy));
                return;
            }
            Map<String, String> ferrite = new LinkedHashMap<>();
            Map<String, String> from = new LinkedHashMap<>();
            List<String> unknown = new ArrayList<>();
            // First the Ferrite keys already present: they win over any alias with the same value.
            for (Map.Entry<String, JsonNode> e : annotations.properties()) {
                if (e.getKey().startsWith(Annotations.PREFIX)) {
                    ferrite.put(e.getKey(), e.getValue().asString(""));
                    from.put(e.getKey(), e.getKey());
                }
            }
            ObjectNode renamed = json.createObjectNode();
            List<String> renames = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : annotations.properties()) {
                String key = e.getKey();
                Optional<String> target = ferriteKeyOf(key);
                if (target.isEmpty()) {
                    if (Annotations.METALLB_PREFIXES.stream().anyMatch(key::startsWith)) {
                        unknown.add(key);
                    }
                    renamed.set(key, e.getValue());
                    continue;
                }
                String value = e.getValue().asString("");
                String earlier = ferrite.get(target.get());
                if (earlier != null && !from.get(target.get()).equals(key)) {
                    if (!earlier.equals(value)) {
                        errors.add(new ConfigError("Service", name, "metadata.annotations[" + key + "]", value,
                                "conflicts with " + from.get(target.get()) + " \"" + earlier + "\"; keep one of them"));
                    }
                    continue;
                }
                ferrite.put(target.get(), value);
                from.put(target.get(), key);
                renamed.set(target.get(), e.getValue());
                if (!key.equals(target.get())) {
                    renames.add(key + " -> " + target.get());
                }
            }
            ((ObjectNode) copy.get("metadata")).set("annotations", renamed);
            if (!renames.isEmpty()) {
                findings.add(note(origin, "annotations renamed: " + String.join(", ", renames)));
            }
            if (!unknown.isEmpty()) {
                findings.add(note(origin, "annotations with no Ferrite equivalent, left unchanged: " + String.join(", ", unknown)));
            }
            String pool = ferrite.get(Annotations.ADDRESS_POOL);
            if (pool != null) {
                poolReferences.add(new ServiceNote(origin, pool));
            }
            out.add(new ImportedDocument(origin, copy));
        }

        private static Optional<String> ferriteKeyOf(String key) {
            for (String suffix : SERVICE_ANNOTATIONS) {
                if (key.equals(Annotations.PREFIX + suffix)) {
                    return Optional.of(key);
                }
                for (String prefix : Annotations.METALLB_PREFIXES) {
                    if (key.equals(prefix + suffix)) {
                        return Optional.of(Annotations.PREFIX + suffix);
                    }
                }
            }
            return Optional.empty();
        }

        private record ServiceNote(String origin, String pool) {
        }

        // ---- the end ----

        ImportResult finish() {
            if (!legacyLayer2Pools.isEmpty()) {
                L2Advertisement advertisement = new L2Advertisement();
                ObjectMeta meta = new ObjectMeta();
                meta.setName(LEGACY_ADVERTISEMENT);
                meta.setNamespace(legacyNamespace);
                advertisement.setMetadata(meta);
                L2AdvertisementSpec spec = new L2AdvertisementSpec();
                spec.setIpAddressPools(List.copyOf(legacyLayer2Pools));
                advertisement.setSpec(spec);
                advertisements.add(advertisement);
                String origin = "the legacy layer2 pools " + String.join(", ", legacyLayer2Pools);
                out.add(legacyAdvertisementAt, new ImportedDocument(origin, tree(advertisement)));
            }
            Set<String> converted = new TreeSet<>();
            pools.forEach(p -> converted.add(p.getMetadata().getName()));
            for (ServiceNote ref : poolReferences) {
                if (!converted.contains(ref.pool())) {
                    findings.add(note(ref.origin(), "names pool " + ref.pool() + (notConvertedPools.contains(ref.pool())
                            ? ", a BGP pool that was not converted" : ", which is not in this input")
                            + "; the Service stays pending until an IPAddressPool of that name exists"));
                }
            }
            ConfigResult result = ConfigParser.parse(pools, advertisements);
            if (result instanceof ConfigResult.Invalid invalid) {
                errors.addAll(invalid.errors());
            }
            if (!errors.isEmpty()) {
                return new ImportResult.Invalid(errors, findings);
            }
            if (result instanceof ConfigResult.Valid valid) {
                Set<String> announced = new TreeSet<>();
                for (Advertisement a : valid.config().advertisements()) {
                    announced.addAll(a.pools());
                }
                poolOrigins.forEach((pool, origin) -> {
                    if (!announced.contains(pool.getMetadata().getName())) {
                        findings.add(note(origin, "IPAddressPool " + pool.getMetadata().getName() + " is not selected by "
                                + "any L2Advertisement: its addresses are assigned but not announced until one selects it"));
                    }
                });
            }
            return new ImportResult.Converted(out, findings);
        }

        // ---- metadata and trees ----

        /** Name, namespace, labels and annotations carry over; what the API server set does not. */
        private ObjectMeta targetMeta(JsonNode metadata) {
            ObjectMeta meta = new ObjectMeta();
            meta.setName(metadata.path("name").asString(null));
            meta.setNamespace(targetNamespace(metadata.path("namespace").asString("")));
            Map<String, String> labels = stringMap(metadata.path("labels"));
            if (!labels.isEmpty()) {
                meta.setLabels(labels);
            }
            Map<String, String> annotations = stringMap(metadata.path("annotations"));
            annotations.remove(LAST_APPLIED);
            if (!annotations.isEmpty()) {
                meta.setAnnotations(annotations);
            }
            return meta;
        }

        private String targetNamespace(String source) {
            if (namespace.isPresent()) {
                return namespace.get();
            }
            return source.isEmpty() || source.equals(METALLB_NAMESPACE) ? FERRITE_NAMESPACE : source;
        }

        /** The object as a tree whose metadata reads name, namespace, labels, annotations, in that order. */
        private JsonNode tree(HasMetadata object) {
            ObjectNode tree = json.valueToTree(object);
            ObjectMeta m = object.getMetadata();
            ObjectNode meta = json.createObjectNode();
            if (m.getName() != null) {
                meta.put("name", m.getName());
            }
            if (m.getNamespace() != null) {
                meta.put("namespace", m.getNamespace());
            }
            if (m.getLabels() != null && !m.getLabels().isEmpty()) {
                meta.set("labels", json.valueToTree(m.getLabels()));
            }
            if (m.getAnnotations() != null && !m.getAnnotations().isEmpty()) {
                meta.set("annotations", json.valueToTree(m.getAnnotations()));
            }
            tree.set("metadata", meta);
            tree.remove("status");
            return tree;
        }

        private static Map<String, String> stringMap(JsonNode node) {
            Map<String, String> map = new LinkedHashMap<>();
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString(""));
                }
            }
            return map;
        }
    }

    // ---- small readers ----

    private static String nameOf(JsonNode node) {
        return node.path("metadata").path("name").asString("");
    }

    private static String namespacedName(JsonNode metadata) {
        String ns = metadata.path("namespace").asString("");
        String name = metadata.path("name").asString("");
        return ns.isEmpty() ? name : ns + "/" + name;
    }

    private static String describe(String apiVersion, String kind, JsonNode metadata) {
        String name = namespacedName(metadata);
        String what = (apiVersion.isEmpty() ? "" : apiVersion + " ") + (kind.isEmpty() ? "object without kind" : kind);
        return name.isEmpty() ? what : what + " " + name;
    }

    private static boolean allStrings(JsonNode list) {
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isString()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isString()) {
                out.add(list.get(i).stringValue());
            }
        }
        return out;
    }

    private static Finding unsupported(String origin, String message) {
        return new Finding(Finding.Kind.UNSUPPORTED, origin, message);
    }

    private static Finding note(String origin, String message) {
        return new Finding(Finding.Kind.NOTE, origin, message);
    }
}
