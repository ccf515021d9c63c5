package dev.ferrite.api.migrate;

import dev.ferrite.api.Annotations;
import dev.ferrite.api.config.KubernetesNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code v1} Services keep everything but their MetalLB annotations, which are renamed to
 * {@code ferrite.dev/…}; two aliases of one key with different values are an error. A pool
 * name in {@code address-pool} or {@code ip-allocated-from-pool} follows the pool's renaming.
 */
final class ServiceAnnotations {

    /** Service annotation suffixes with a Ferrite equivalent under {@code ferrite.dev/}. */
    static final List<String> SUFFIXES = List.of("address-pool", "loadBalancerIPs", "allow-shared-ip", "ip-allocated-from-pool");
    /** Annotations whose value is a pool name. */
    static final List<String> POOL_VALUED = List.of(Annotations.ADDRESS_POOL, Annotations.PREFIX + "ip-allocated-from-pool");

    private final Conversion c;

    ServiceAnnotations(Conversion c) {
        this.c = c;
    }

    /** A Service naming a pool, for the note at the end when the pool is not in the input. */
    record PoolReference(Source where, String pool) {
    }

    final List<PoolReference> references = new ArrayList<>();

    void convert(ObjectNode node, Source where) {
        // A Service is written out: one the API server would refuse must not be.
        List<MetallbSchema.Problem> problems = new ArrayList<>();
        MetallbSchema.check(node.path("metadata"), MetallbSchema.METADATA, "metadata", problems);
        if (!c.schemaOk(where, problems)) {
            return;
        }
        Optional<String> required = c.requiredName(where, node, "Service");
        if (required.isEmpty()) {
            return;
        }
        String name = required.get();
        // Not renamed as pools are: a Service's name is its identity, which Services, Ingresses and DNS refer to.
        Optional<String> nameProblem = KubernetesNames.dns1123LabelProblem(name);
        Optional<String> namespaceProblem = node.path("metadata").path("namespace").asString("").isEmpty() ? Optional.empty()
                : KubernetesNames.dns1123LabelProblem(node.path("metadata").path("namespace").asString(""));
        nameProblem.ifPresent(p -> c.error(where, "metadata.name", "\"" + name + "\" is not a valid Service name: a name "
                + p + "; the API server would refuse it"));
        namespaceProblem.ifPresent(p -> c.error(where, "metadata.namespace", "\"" + node.path("metadata").path("namespace")
                .asString("") + "\" is not a valid namespace name: a namespace " + p));
        if (nameProblem.isPresent() || namespaceProblem.isPresent()) {
            return;
        }
        ObjectNode copy = node.deepCopy();
        JsonNode annotations = copy.path("metadata").path("annotations");
        if (!annotations.isObject()) {
            c.out.add(new Conversion.Output(where, null, copy));
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
        ObjectNode renamed = c.json.createObjectNode();
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
                    c.error(where, "metadata.annotations[" + key + "]", "\"" + value + "\" conflicts with "
                            + from.get(target.get()) + " \"" + earlier + "\"; keep one of them");
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
            c.note(where, "annotations renamed: " + String.join(", ", renames));
        }
        if (!unknown.isEmpty()) {
            c.note(where, "annotations with no Ferrite equivalent, left unchanged: " + String.join(", ", unknown));
        }
        String pool = ferrite.get(Annotations.ADDRESS_POOL);
        if (pool != null) {
            references.add(new PoolReference(where, pool));
        }
        c.out.add(new Conversion.Output(where, null, copy));
    }

    /** Pool names in a Service's annotations follow the pools' renaming. */
    static void followRenames(ObjectNode service, Map<String, String> poolNames) {
        JsonNode annotations = service.path("metadata").path("annotations");
        if (!(annotations instanceof ObjectNode a)) {
            return;
        }
        for (String key : POOL_VALUED) {
            JsonNode v = a.get(key);
            if (v != null && v.isString() && poolNames.containsKey(v.stringValue())) {
                a.put(key, poolNames.get(v.stringValue()));
            }
        }
    }

    private static Optional<String> ferriteKeyOf(String key) {
        for (String suffix : SUFFIXES) {
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
}
