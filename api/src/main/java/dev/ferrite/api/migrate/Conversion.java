package dev.ferrite.api.migrate;

import dev.ferrite.api.config.ConfigError;
import dev.ferrite.api.config.KubernetesNames;
import dev.ferrite.api.v1beta1.IPAddressPool;
import dev.ferrite.api.v1beta1.L2Advertisement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one import has produced so far and found on the way, shared by the converters of the
 * three input formats ({@link CrdObjects}, {@link LegacyConfig}, {@link ServiceAnnotations}).
 * Objects are kept, not yet written as trees, because a pool renamed later in the input changes
 * the references made to it earlier.
 */
final class Conversion {

    static final String METALLB_NAMESPACE = "metallb-system";
    static final String FERRITE_NAMESPACE = "ferrite-system";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    final ObjectMapper json = Serialization.jsonMapper();
    private final Optional<String> namespace;

    /** The output, in input order: a Ferrite object, or a Service tree. */
    final List<Output> out = new ArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    final List<ImportError> errors = new ArrayList<>();

    /** Converted pools and advertisements, with where each came from and how its fields map back. */
    final List<Placed<IPAddressPool>> pools = new ArrayList<>();
    final List<Placed<L2Advertisement>> advertisements = new ArrayList<>();
    /** Source pool name to output name, for every pool converted or knowingly left out. */
    final Map<String, String> poolNames = new HashMap<>();
    final List<String> notConvertedPools = new ArrayList<>();
    /** Output names of the legacy format's layer2 pools, with their namespace, for the one advertisement listing them. */
    final Map<String, String> legacyLayer2Pools = new java.util.TreeMap<>();
    int legacyAdvertisementAt = -1;
    Source legacySource;
    /** The MetalLB speaker's gratuitous ARP interval, as a garpRefresh, when its manifest sets one. */
    Optional<String> speakerRefresh = Optional.empty();
    Source speakerRefreshSource;

    Conversion(Optional<String> namespace) {
        this.namespace = namespace;
    }

    /** One output object with its source; {@code fieldOf} turns a Ferrite field path into the source's. */
    record Placed<T extends HasMetadata>(T object, Source source, UnaryOperator<String> fieldOf) {
    }

    /** One output document: an object, or a tree that is written as it is. */
    record Output(Source source, HasMetadata object, JsonNode tree) {
    }

    void error(Source where, String field, String message) {
        errors.add(new ImportError(where, field, message));
    }

    void unsupported(Source where, String message) {
        findings.add(new Finding(Finding.Kind.UNSUPPORTED, where, message));
    }

    void warning(Source where, String message) {
        findings.add(new Finding(Finding.Kind.WARNING, where, message));
    }

    void note(Source where, String message) {
        findings.add(new Finding(Finding.Kind.NOTE, where, message));
    }

    void addPool(IPAddressPool pool, Source source, UnaryOperator<String> fieldOf) {
        pools.add(new Placed<>(pool, source, fieldOf));
        out.add(new Output(source, pool, null));
    }

    void addAdvertisement(L2Advertisement advertisement, Source source, UnaryOperator<String> fieldOf) {
        advertisements.add(new Placed<>(advertisement, source, fieldOf));
        out.add(new Output(source, advertisement, null));
    }

    /** Reports {@link MetallbSchema} problems; true when there were none. */
    boolean schemaOk(Source where, List<MetallbSchema.Problem> problems) {
        problems.forEach(p -> error(where, p.field(), p.message()));
        return problems.isEmpty();
    }

    /**
     * The {@code metadata.name} of an object of {@code kind}, or empty when it has none (the
     * error is recorded): Kubernetes refuses an object without one.
     */
    Optional<String> requiredName(Source where, JsonNode node, String kind) {
        String name = node.path("metadata").path("name").asString("");
        if (name.isEmpty()) {
            error(where, "metadata.name", "is missing; every " + kind + " needs a name");
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /**
     * The output name of a pool or advertisement, or empty when it cannot have one (the error
     * is recorded). A missing name is an error: Kubernetes refuses an object without one.
     */
    Optional<String> outputName(Source where, String field, String name) {
        if (name == null || name.isEmpty()) {
            error(where, field, "is missing; every IPAddressPool and L2Advertisement needs a name");
            return Optional.empty();
        }
        ImportNames.Outcome outcome = ImportNames.convert(name);
        if (outcome instanceof ImportNames.Outcome.Renamed r) {
            note(where, "renamed " + r.from() + " to " + r.to() + " (Kubernetes names are lower case DNS-1123; "
                    + "converted as MetalLB's converter does), and every reference to it");
            return Optional.of(r.to());
        }
        if (outcome instanceof ImportNames.Outcome.Refused r) {
            error(where, field, r.problem());
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** The namespace a converted pool or advertisement goes to; warns when the source's is not MetalLB's. */
    String targetNamespace(Source where, String source) {
        boolean metallbs = source == null || source.isEmpty() || source.equals(METALLB_NAMESPACE);
        if (!metallbs) {
            warning(where, "namespace " + source + " is not " + METALLB_NAMESPACE + ": Ferrite reads every "
                    + "IPAddressPool and L2Advertisement from one namespace (--namespace of the controller and the "
                    + "speakers, default " + FERRITE_NAMESPACE + ")" + (namespace.isPresent()
                            ? "; moved to " + namespace.get()
                            : "; it stays in " + source + ": run Ferrite with --namespace " + source
                                    + " or import with --namespace " + FERRITE_NAMESPACE));
        }
        if (namespace.isPresent()) {
            return namespace.get();
        }
        if (!metallbs) {
            KubernetesNames.dns1123LabelProblem(source).ifPresent(problem -> error(where, "metadata.namespace",
                    "\"" + source + "\" is not a valid namespace name: a namespace " + problem
                            + "; import with --namespace NAMESPACE to put the objects elsewhere"));
        }
        return metallbs ? FERRITE_NAMESPACE : source;
    }

    /** Name, namespace, labels and annotations carry over; what the API server set does not. */
    ObjectMeta targetMeta(Source where, JsonNode metadata, String name) {
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(targetNamespace(where, metadata.path("namespace").asString("")));
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

    /** The object as a tree whose metadata reads name, namespace, labels, annotations, in that order. */
    JsonNode tree(HasMetadata object) {
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

    /** A validator error, placed on the input object it came from. */
    ImportError placed(ConfigError e) {
        List<? extends Placed<?>> candidates = e.kind().equals(dev.ferrite.api.config.ConfigParser.POOL_KIND) ? pools
                : advertisements;
        for (Placed<?> p : candidates) {
            if (e.name().equals(p.object().getMetadata().getName())) {
                return new ImportError(p.source(), p.fieldOf().apply(e.field()),
                        "\"" + e.value() + "\": " + e.problem());
            }
        }
        return new ImportError(Source.document(0, e.kind() + " " + e.name()), e.field(), "\"" + e.value() + "\": "
                + e.problem());
    }

    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString(""));
            }
        }
        return map;
    }

    static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).isString()) {
                out.add(list.get(i).stringValue());
            }
        }
        return out;
    }
}
