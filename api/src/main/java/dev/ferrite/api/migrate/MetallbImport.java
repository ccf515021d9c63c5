package dev.ferrite.api.migrate;

import dev.ferrite.api.config.Advertisement;
import dev.ferrite.api.config.ConfigParser;
import dev.ferrite.api.config.ConfigResult;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import dev.ferrite.api.v1beta1.L2AdvertisementSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a MetalLB configuration (any mix of documents in one YAML stream, {@code kind: List}
 * included) into Ferrite's. Pure: text in, {@link ImportResult} out. Each input format has its
 * converter — {@link CrdObjects} ({@code metallb.io} kinds), {@link LegacyConfig} (the ConfigMap
 * and AddressPool of MetalLB ≤ 0.12) and {@link ServiceAnnotations} — sharing one
 * {@link Conversion}; this class sends each document to its converter and finishes: pool renames
 * applied to every reference, the legacy advertisement added, and the result validated by
 * {@link ConfigParser}, the validation of the controller and the webhook, its errors placed on the
 * input documents they came from.
 *
 * <p>A document that is neither MetalLB's nor a Service is reported as not converted and left
 * out: the output holds only what Ferrite should be given.
 */
public final class MetallbImport {

    public static final String METALLB_GROUP = CrdObjects.GROUP;
    public static final String METALLB_NAMESPACE = Conversion.METALLB_NAMESPACE;
    public static final String FERRITE_NAMESPACE = Conversion.FERRITE_NAMESPACE;
    public static final String LEGACY_ADVERTISEMENT = LegacyConfig.ADVERTISEMENT;

    private final Conversion c;
    private final CrdObjects crds;
    private final LegacyConfig legacy;
    private final ServiceAnnotations services;

    private MetallbImport(Optional<String> namespace) {
        c = new Conversion(namespace);
        crds = new CrdObjects(c);
        legacy = new LegacyConfig(c);
        services = new ServiceAnnotations(c);
    }

    /**
     * @param namespace the namespace of every converted pool and advertisement; empty keeps
     *                  each source namespace (mapping {@code metallb-system} to {@code ferrite-system})
     */
    public static ImportResult convert(String yamlStream, Optional<String> namespace) {
        ImportYaml.Read read = ImportYaml.readAll(yamlStream);
        if (read instanceof ImportYaml.Read.Unreadable u) {
            return new ImportResult.Invalid(List.of(new ImportError(Source.document(u.document(), "not valid YAML"),
                    "yaml", u.problem())), List.of());
        }
        MetallbImport importer = new MetallbImport(namespace);
        List<JsonNode> documents = ((ImportYaml.Read.Documents) read).documents();
        if (documents.stream().allMatch(d -> d == null || d.isNull())) {
            // An unattended migration that converts nothing must not look like one that worked.
            return new ImportResult.Invalid(List.of(new ImportError(Source.document(Math.max(1, documents.size()),
                    documents.isEmpty() ? "empty input" : "empty document"), "(input)", "holds no objects ("
                    + (documents.isEmpty() ? "nothing but whitespace and comments" : documents.size()
                            + " empty document(s), only --- separators and comments")
                    + "); give it the output of kubectl get ... -o yaml")), List.of());
        }
        for (int i = 0; i < documents.size(); i++) {
            importer.document(documents.get(i), i + 1, 0);
        }
        return importer.finish();
    }

    private void document(JsonNode node, int document, int item) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (!node.isObject()) {
            c.error(new Source(document, item, MetallbSchema.describe(node), "", ""), "(document)",
                    MetallbSchema.show(node) + " is not a Kubernetes object (a mapping with apiVersion, kind and metadata)");
            return;
        }
        String apiVersion = node.path("apiVersion").isString() ? node.path("apiVersion").stringValue() : "";
        String kind = node.path("kind").isString() ? node.path("kind").stringValue() : "";
        JsonNode metadata = node.path("metadata");
        Source where = new Source(document, item, kind.isEmpty() ? "object without kind" : kind,
                metadata.path("namespace").asString(""), metadata.path("name").asString(""));
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode value = node.path(field);
            if (!value.isMissingNode() && !value.isNull() && !value.isString()) {
                c.error(where, field, MetallbSchema.show(value) + " is " + MetallbSchema.describe(value)
                        + "; expected a string (e.g. metallb.io/v1beta1 IPAddressPool)" + MetallbSchema.stringHint(value));
                return;
            }
        }
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            c.error(where, apiVersion.isEmpty() ? "apiVersion" : "kind", "is missing; every Kubernetes object has "
                    + "apiVersion and kind (e.g. metallb.io/v1beta1 IPAddressPool)");
            return;
        }
        if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
            c.error(where, "metadata", MetallbSchema.show(metadata) + " is " + MetallbSchema.describe(metadata)
                    + "; expected a mapping (name, namespace, labels, annotations)");
            return;
        }
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);

        if (apiVersion.equals("v1") && kind.equals("List")) {
            JsonNode items = node.path("items");
            if (!items.isArray()) {
                c.error(where, "items", "is " + (items.isMissingNode() ? "missing" : MetallbSchema.describe(items))
                        + "; a List holds its objects in a list named items");
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                document(items.get(i), document, i + 1);
            }
            return;
        }
        if (group.equals(METALLB_GROUP)) {
            crds.convert(node, kind, version, where);
        } else if (apiVersion.equals("v1") && kind.equals("Service")) {
            services.convert((ObjectNode) node, where);
        } else if (apiVersion.equals("v1") && kind.equals("ConfigMap") && LegacyConfig.isLegacy(node)) {
            legacy.configMap(node, where);
        } else if (apiVersion.equals("apps/v1") && (kind.equals("DaemonSet") || kind.equals("Deployment"))
                && MetallbWorkloads.isMetallbs(node)) {
            MetallbWorkloads.convert(c, node, where);
        } else if (apiVersion.equals("v1") && kind.equals("Namespace")
                && metadata.path("name").asString("").equals(METALLB_NAMESPACE)) {
            c.note(where, "MetalLB's namespace; left out (Ferrite's is " + FERRITE_NAMESPACE
                    + ", created by deploy/namespace.yaml)");
        } else {
            c.unsupported(where, apiVersion + " " + kind + " is neither a MetalLB object nor a Service; left out "
                    + "(apply it separately if it belongs to your cluster)");
        }
    }

    private ImportResult finish() {
        addLegacyAdvertisement();
        if (c.speakerRefresh.isPresent()) {
            for (Conversion.Placed<L2Advertisement> a : c.advertisements) {
                L2AdvertisementSpec spec = a.object().getSpec() == null ? new L2AdvertisementSpec() : a.object().getSpec();
                a.object().setSpec(spec);
                if (spec.getGarpRefresh() == null) {
                    spec.setGarpRefresh(c.speakerRefresh.get());
                }
            }
            c.note(c.speakerRefreshSource, MetallbWorkloads.INTERVAL_FLAG + " " + c.speakerRefresh.get().replace("s", "")
                    + " carried over as spec.garpRefresh: " + c.speakerRefresh.get() + " on every converted L2Advertisement");
        }
        for (Conversion.Placed<L2Advertisement> a : c.advertisements) {
            L2AdvertisementSpec spec = a.object().getSpec();
            if (spec != null && spec.getIpAddressPools() != null) {
                spec.setIpAddressPools(spec.getIpAddressPools().stream()
                        .map(p -> p == null ? null : c.poolNames.getOrDefault(p, p)).toList());
            }
        }
        for (Conversion.Output o : c.out) {
            if (o.tree() instanceof ObjectNode service) {
                ServiceAnnotations.followRenames(service, c.poolNames);
            }
        }
        Set<String> converted = new TreeSet<>();
        c.pools.forEach(p -> converted.add(p.object().getMetadata().getName()));
        for (ServiceAnnotations.PoolReference ref : services.references) {
            String pool = c.poolNames.getOrDefault(ref.pool(), ref.pool());
            if (!converted.contains(pool)) {
                c.note(ref.where(), "names pool " + ref.pool() + (c.notConvertedPools.contains(ref.pool())
                        ? ", a BGP pool that was not converted" : ", which is not in this input")
                        + "; the Service stays pending until an IPAddressPool of that name exists");
            }
        }
        List<IPAddressPool> pools = c.pools.stream().map(Conversion.Placed::object).toList();
        List<L2Advertisement> advertisements = c.advertisements.stream().map(Conversion.Placed::object).toList();
        ConfigResult result = ConfigParser.parse(pools, advertisements);
        List<ImportError> errors = new ArrayList<>(c.errors);
        if (result instanceof ConfigResult.Invalid invalid) {
            invalid.errors().forEach(e -> errors.add(c.placed(e)));
        }
        if (!errors.isEmpty()) {
            return new ImportResult.Invalid(errors, c.findings);
        }
        if (result instanceof ConfigResult.Valid valid) {
            Set<String> announced = new TreeSet<>();
            for (Advertisement a : valid.config().advertisements()) {
                announced.addAll(a.pools());
            }
            for (Conversion.Placed<IPAddressPool> p : c.pools) {
                if (!announced.contains(p.object().getMetadata().getName())) {
                    c.note(p.source(), "IPAddressPool " + p.object().getMetadata().getName() + " is not selected by "
                            + "any L2Advertisement: its addresses are assigned but not announced until one selects it");
                }
            }
        }
        List<ImportedDocument> documents = new ArrayList<>();
        for (Conversion.Output o : c.out) {
            documents.add(new ImportedDocument(o.source().toString(), o.object() != null ? c.tree(o.object()) : o.tree()));
        }
        return new ImportResult.Converted(documents, c.findings);
    }

    /** One L2Advertisement for the legacy format's layer2 pools, placed after the last of them. */
    private void addLegacyAdvertisement() {
        if (c.legacyLayer2Pools.isEmpty()) {
            return;
        }
        L2Advertisement advertisement = new L2Advertisement();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(LEGACY_ADVERTISEMENT);
        meta.setNamespace(c.legacyLayer2Pools.values().iterator().next());
        advertisement.setMetadata(meta);
        L2AdvertisementSpec spec = new L2AdvertisementSpec();
        spec.setIpAddressPools(List.copyOf(c.legacyLayer2Pools.keySet()));
        advertisement.setSpec(spec);
        Source where = c.legacySource.inside("(the L2Advertisement " + LEGACY_ADVERTISEMENT + " made for its layer2 pools)");
        c.advertisements.add(new Conversion.Placed<>(advertisement, where, UnaryOperator.identity()));
        c.out.add(c.legacyAdvertisementAt, new Conversion.Output(where, advertisement, null));
    }
}
