package dev.ferrite.lab.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import dev.ferrite.lab.apiserver.ApiResource.PrinterColumn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the lab's API server serves, as API discovery tells clients: the built-in resources
 * Ferrite and its operators touch (Services, EndpointSlices, Nodes, Events, Leases, what
 * {@code deploy/} creates) and Ferrite's own CRDs, read from the CRD YAML the api module
 * generates. Discovery is what makes {@code kubectl get svc} resolve "svc" at all.
 *
 * <p>The built-in columns follow the real API server's printers closely enough to read;
 * the CRDs' columns are their own {@code additionalPrinterColumns}.
 */
public final class ApiCatalog {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CRD_FILES = List.of(
            "META-INF/fabric8/ipaddresspools.ferrite.dev-v1.yml",
            "META-INF/fabric8/l2advertisements.ferrite.dev-v1.yml",
            "META-INF/fabric8/servicel2statuses.ferrite.dev-v1.yml");
    private static final PrinterColumn AGE = new PrinterColumn("Age", "date", ".metadata.creationTimestamp", 0, "");

    private final List<ApiResource> resources;

    public ApiCatalog(List<ApiResource> resources) {
        this.resources = List.copyOf(resources);
    }

    /** The built-in resources and Ferrite's CRDs. */
    public static ApiCatalog lab() {
        List<ApiResource> all = new ArrayList<>(builtIn());
        for (String file : CRD_FILES) {
            try (InputStream in = ApiCatalog.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("CRD " + file + " is not on the classpath (built by the api module)");
                }
                all.add(fromCrd(new YAMLMapper().readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            }
        }
        return new ApiCatalog(all);
    }

    static List<ApiResource> builtIn() {
        PrinterColumn name = new PrinterColumn("Name", "string", ".metadata.name", 0, "");
        return List.of(
                core("Namespace", "namespaces", false, List.of("ns"), List.of(),
                        List.of(name, col("Status", ".status.phase"), AGE)),
                core("Node", "nodes", false, List.of("no"), List.of(),
                        List.of(name, col("Internal-IP", ".status.addresses[?(@.type==\"InternalIP\")].address"), AGE)),
                core("Pod", "pods", true, List.of("po"), List.of("all"),
                        List.of(name, col("Status", ".status.phase"), col("Node", ".spec.nodeName"), AGE)),
                core("Service", "services", true, List.of("svc"), List.of("all"),
                        List.of(name, col("Type", ".spec.type"), col("Cluster-IP", ".spec.clusterIP"),
                                col("External-IP", ".status.loadBalancer.ingress[*].ip"),
                                col("Port(s)", ".spec.ports[*].port"), AGE)),
                core("Endpoints", "endpoints", true, List.of("ep"), List.of(), List.of(name, AGE)),
                core("Event", "events", true, List.of("ev"), List.of(),
                        List.of(name, col("Type", ".type"), col("Reason", ".reason"),
                                col("Object", ".involvedObject.name"), col("Message", ".message"), AGE)),
                core("Secret", "secrets", true, List.of(), List.of(), List.of(name, col("Type", ".type"), AGE)),
                core("ConfigMap", "configmaps", true, List.of("cm"), List.of(), List.of(name, AGE)),
                core("ServiceAccount", "serviceaccounts", true, List.of("sa"), List.of(), List.of(name, AGE)),
                of("apps", "v1", "Deployment", "deployments", true, List.of("deploy"), List.of("all"), true,
                        List.of(name, col("Ready", ".status.readyReplicas"), AGE)),
                of("apps", "v1", "DaemonSet", "daemonsets", true, List.of("ds"), List.of("all"), true,
                        List.of(name, col("Ready", ".status.numberReady"), AGE)),
                of("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, List.of(), List.of(), false,
                        List.of(name, col("AddressType", ".addressType"), col("Ports", ".ports[*].port"),
                                col("Endpoints", ".endpoints[*].addresses[*]"), AGE)),
                of("coordination.k8s.io", "v1", "Lease", "leases", true, List.of(), List.of(), false,
                        List.of(name, col("Holder", ".spec.holderIdentity"), AGE)),
                of("events.k8s.io", "v1", "Event", "events", true, List.of(), List.of(), false,
                        List.of(name, col("Type", ".type"), col("Reason", ".reason"),
                                col("Object", ".regarding.name"), col("Note", ".note"), AGE)),
                of("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, List.of(), List.of(), false, List.of(name, AGE)),
                of("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, List.of(), List.of(), false, List.of(name, AGE)),
                of("rbac.authorization.k8s.io", "v1", "Role", "roles", true, List.of(), List.of(), false, List.of(name, AGE)),
                of("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, List.of(), List.of(), false, List.of(name, AGE)),
                of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
                        List.of("crd", "crds"), List.of(), true, List.of(name, AGE)),
                of("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration",
                        "validatingwebhookconfigurations", false, List.of(), List.of(), false, List.of(name, AGE)));
    }

    private static PrinterColumn col(String name, String path) {
        return new PrinterColumn(name, "string", path, 0, "");
    }

    private static ApiResource core(String kind, String plural, boolean namespaced, List<String> shortNames,
                                    List<String> categories, List<PrinterColumn> columns) {
        boolean status = List.of("namespaces", "nodes", "pods", "services").contains(plural);
        return of("", "v1", kind, plural, namespaced, shortNames, categories, status, columns);
    }

    private static ApiResource of(String group, String version, String kind, String plural, boolean namespaced,
                                  List<String> shortNames, List<String> categories, boolean status,
                                  List<PrinterColumn> columns) {
        return new ApiResource(group, version, kind, plural, kind.toLowerCase(), namespaced, shortNames,
                categories, status, columns);
    }

    /** A CRD's served version as a resource: names, scope, status subresource, printer columns (Name first). */
    static ApiResource fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        JsonNode version = null;
        for (JsonNode v : spec.path("versions")) {
            if (v.path("served").asBoolean(true) && (version == null || v.path("storage").asBoolean())) {
                version = v;
            }
        }
        if (version == null) {
            throw new IllegalArgumentException("CRD " + crd.path("metadata").path("name").asString() + " serves no version");
        }
        List<PrinterColumn> columns = new ArrayList<>();
        columns.add(new PrinterColumn("Name", "string", ".metadata.name", 0, "Name must be unique within a namespace."));
        boolean age = false;
        for (JsonNode c : version.path("additionalPrinterColumns")) {
            columns.add(new PrinterColumn(c.path("name").asString(), c.path("type").asString("string"),
                    c.path("jsonPath").asString(), c.path("priority").asInt(0), c.path("description").asString("")));
            age |= c.path("jsonPath").asString().equals(".metadata.creationTimestamp");
        }
        if (!age && version.path("additionalPrinterColumns").isEmpty()) {
            columns.add(AGE);
        }
        return new ApiResource(spec.path("group").asString(), version.path("name").asString(), names.path("kind").asString(),
                names.path("plural").asString(), names.path("singular").asString(names.path("kind").asString().toLowerCase()),
                "Namespaced".equals(spec.path("scope").asString()), strings(names.path("shortNames")),
                strings(names.path("categories")), version.path("subresources").has("status"), columns);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    public List<ApiResource> resources() {
        return resources;
    }

    /** The resource of objects of this {@code apiVersion} and {@code kind}. */
    public Optional<ApiResource> forKind(String apiVersion, String kind) {
        return resources.stream().filter(r -> r.groupVersion().equals(apiVersion) && r.kind().equals(kind)).findFirst();
    }

    /** The resource a request path names: {@code /api/v1/namespaces/x/services/y} → services. */
    public Optional<ApiResource> forPath(String path) {
        String[] s = path.split("\\?", 2)[0].replaceAll("^/+", "").split("/");
        int at;
        String group;
        String version;
        if (s.length >= 3 && s[0].equals("api")) {
            group = "";
            version = s[1];
            at = 2;
        } else if (s.length >= 4 && s[0].equals("apis")) {
            group = s[1];
            version = s[2];
            at = 3;
        } else {
            return Optional.empty();
        }
        if (s.length > at + 2 && s[at].equals("namespaces")) {
            at += 2;
        }
        String plural = s[at];
        return resources.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
                .findFirst();
    }

    /** {@code GET /api}: the core group's versions. */
    public ObjectNode coreVersions() {
        ObjectNode out = JSON.createObjectNode().put("kind", "APIVersions");
        out.putArray("versions").add("v1");
        out.putArray("serverAddressByClientCIDRs");
        return out;
    }

    /** {@code GET /apis}: every named group with its versions. */
    public ObjectNode groups() {
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (ApiResource r : resources) {
            if (!r.group().isEmpty()) {
                List<String> vs = versions.computeIfAbsent(r.group(), g -> new ArrayList<>());
                if (!vs.contains(r.version())) {
                    vs.add(r.version());
                }
            }
        }
        ObjectNode out = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = out.putArray("groups");
        versions.forEach((group, vs) -> {
            ObjectNode g = groups.addObject().put("name", group);
            ArrayNode list = g.putArray("versions");
            vs.forEach(v -> list.addObject().put("groupVersion", group + "/" + v).put("version", v));
            g.putObject("preferredVersion").put("groupVersion", group + "/" + vs.get(0)).put("version", vs.get(0));
        });
        return out;
    }

    /** {@code GET /api/v1} or {@code /apis/<group>/<version>}; empty when nothing is served there. */
    public Optional<ObjectNode> resourceList(String group, String version) {
        List<ApiResource> in = resources.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
        if (in.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode out = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", in.get(0).groupVersion());
        ArrayNode list = out.putArray("resources");
        for (ApiResource r : in) {
            ObjectNode n = list.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = n.putArray("verbs");
            ApiResource.VERBS.forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode sn = n.putArray("shortNames");
                r.shortNames().forEach(sn::add);
            }
            if (!r.categories().isEmpty()) {
                ArrayNode cs = n.putArray("categories");
                r.categories().forEach(cs::add);
            }
            if (r.statusSubresource()) {
                ObjectNode st = list.addObject().put("name", r.plural() + "/status").put("singularName", "")
                        .put("namespaced", r.namespaced()).put("kind", r.kind());
                st.putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return Optional.of(out);
    }
}
