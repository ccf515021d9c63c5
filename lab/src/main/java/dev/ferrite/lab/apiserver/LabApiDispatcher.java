package dev.ferrite.lab.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * fabric8's CRUD dispatcher plus what the real {@code kubectl} needs from an API server and
 * the mock lacks: discovery ({@code /api}, {@code /apis}, each group version's resources),
 * {@code /version}, field selectors on any field (the mock knows few; {@code kubectl describe}
 * finds a Service's Events by {@code involvedObject.*}), server-side printing (Tables, with the CRDs' printer columns), and
 * strategic merge and server-side apply patches, approximated by {@link StrategicMerge}
 * and applied as an update. Objects a request names are found through an index
 * ({@link IndexedStore}) instead of the mock's scan of every stored object. Everything else
 * is the mock's own behaviour.
 */
final class LabApiDispatcher extends KubernetesCrudDispatcher {
    private static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final String APPLY = "application/apply-patch+yaml";
    private static final ObjectMapper YAML = new YAMLMapper();

    private final ApiCatalog catalog;
    private final Clock clock;
    private final IndexedStore store = new IndexedStore();
    /** The mock's own lock: a named GET reads under it, as the mock's GETs do. */
    private final Lock readLock;

    LabApiDispatcher(List<CustomResourceDefinitionContext> crds, ApiCatalog catalog, Clock clock) {
        super(crds);
        this.catalog = catalog;
        this.clock = clock;
        // the mock offers no way to choose its store: its field is set once, before any request
        try {
            accessible(CrudDispatcher.class, "map").set(this, Collections.synchronizedMap(store));
            this.readLock = ((ReadWriteLock) accessible(KubernetesCrudDispatcher.class, "lock").get(this)).readLock();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach fabric8's CRUD dispatcher's store", e);
        }
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        if (!IndexedStore.isNamed(query)) {
            return super.findResource(query);
        }
        synchronized (map) {
            return store.find(query).orElse(null);
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        AttributeSet query = attributeExtractor.fromPath(path);
        if (path.contains("watch=") || !IndexedStore.isNamed(query)) {
            return super.handleGet(path);
        }
        Optional<Map.Entry<AttributeSet, String>> found;
        readLock.lock();
        try {
            synchronized (map) {
                found = store.find(query);
            }
        } finally {
            readLock.unlock();
        }
        // as the mock answers a named GET: the stored object, or 404 without a body
        return found.map(e -> new MockResponse().setResponseCode(200).setBody(e.getValue()))
                .orElseGet(() -> new MockResponse().setResponseCode(404));
    }

    private static Field accessible(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("fabric8's " + owner.getSimpleName() + " has no field " + name
                    + "; the lab's API server needs the mock server version it was built with", e);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = route(request);
        // the mock names no content type; client-go then takes a body for protobuf when it
        // offered protobuf first (kubectl describe does)
        if (response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private MockResponse route(RecordedRequest request) {
        String path = request.getPath().split("\\?", 2)[0];
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.getMethod().toUpperCase();
        String bodyType = request.getHeader("Content-Type");
        if (bodyType != null && !method.equals("GET") && !bodyType.startsWith("application/json")
                && !bodyType.startsWith(STRATEGIC) && !bodyType.startsWith(APPLY)
                && !bodyType.startsWith("application/merge-patch+json") && !bodyType.startsWith("application/json-patch+json")) {
            // the mock reads bodies as JSON or YAML only; client-go takes 415 as "send JSON instead"
            return status(415, "UnsupportedMediaType", "the lab's API server takes JSON bodies only, not " + bodyType);
        }
        if (method.equals("GET")) {
            Optional<JsonNode> discovery = discovery(path);
            if (discovery.isPresent()) {
                return json(200, discovery.get());
            }
            if (path.equals("/openapi/v2")) {
                // an OpenAPI v2 document with no definitions, in the protobuf form kubectl asks
                // for ({"swagger": "2.0"}): kubectl then validates nothing client-side and
                // computes strategic merge patches from its built-in types
                return new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
                        .setBody(new byte[] {0x0a, 0x03, '2', '.', '0'});
            }
            if (path.startsWith("/openapi/")) {
                return status(404, "NotFound", "the lab's API server publishes no OpenAPI schema");
            }
            boolean watch = request.getPath().contains("watch=");
            Optional<FieldSelector> selector = FieldSelector.of(request.getPath());
            if (selector.isPresent() && !watch) {
                request = rewrite(request, HttpMethod.GET, FieldSelector.without(request.getPath()), null);
            }
            String accept = request.getHeader("Accept");
            boolean asTable = accept != null && accept.contains("as=Table") && !watch;
            MockResponse inner = super.dispatch(request);
            Optional<ApiResource> resource = catalog.forPath(path);
            if (inner.code() != 200 || watch || resource.isEmpty()) {
                return inner;
            }
            try {
                JsonNode body = ApiCatalog.JSON.readTree(inner.getBody().getBytes());
                if (selector.isPresent()) {
                    body = selector.get().filter(body);
                }
                if (body.isObject() && "List".equals(body.path("kind").asString(""))) {
                    // typed clients decode "ServiceList", not the mock's "List"
                    ((ObjectNode) body).put("kind", resource.get().kind() + "List");
                }
                return json(200, asTable && resource.isPresent() ? TableView.of(resource.get(), body, clock.instant()) : body);
            } catch (RuntimeException e) {
                return inner;
            }
        }
        if (method.equals("POST") && path.equals(EmbeddedApiServer.BATCH_APPLY_PATH)) {
            return batchApply(request);
        }
        if (method.equals("PATCH")) {
            String type = request.getHeader("Content-Type");
            if (type != null && (type.startsWith(STRATEGIC) || type.startsWith(APPLY))) {
                return patchAsUpdate(request, path, type.startsWith(APPLY));
            }
        }
        return super.dispatch(request);
    }

    private Optional<JsonNode> discovery(String path) {
        String[] s = path.replaceAll("^/+", "").split("/");
        if (path.equals("/api")) {
            return Optional.of(catalog.coreVersions());
        }
        if (path.equals("/apis")) {
            return Optional.of(catalog.groups());
        }
        if (path.equals("/version")) {
            ObjectNode v = ApiCatalog.JSON.createObjectNode().put("major", "1").put("minor", "32")
                    .put("gitVersion", "v1.32.0-ferrite-lab").put("platform", "linux/amd64")
                    .put("goVersion", "none (fabric8 mock server)");
            return Optional.of(v);
        }
        if (s.length == 2 && s[0].equals("api")) {
            return catalog.resourceList("", s[1]).map(n -> n);
        }
        if (s.length == 3 && s[0].equals("apis")) {
            return catalog.resourceList(s[1], s[2]).map(n -> n);
        }
        if (s.length == 2 && s[0].equals("apis")) {
            return catalog.groups().path("groups").findParents("name").stream()
                    .filter(g -> g.path("name").asString().equals(s[1])).findFirst()
                    .map(g -> ((ObjectNode) g.deepCopy()).put("kind", "APIGroup").put("apiVersion", "v1"));
        }
        return Optional.empty();
    }

    private MockResponse patchAsUpdate(RecordedRequest request, String path, boolean serverSideApply) {
        JsonNode patch;
        String body = request.getUtf8Body();
        boolean yaml = serverSideApply && !body.stripLeading().startsWith("{");
        try {
            // an apply patch is YAML, which JSON is too; clients send JSON, which the JSON
            // parser reads without the YAML parser's cost
            patch = (yaml ? YAML : ApiCatalog.JSON).readTree(body);
        } catch (tools.jackson.core.JacksonException e) {
            return status(400, "BadRequest", "patch body is not " + (yaml ? "YAML" : "JSON") + ": " + e.getMessage());
        }
        return applyPatch(request, path, patch, serverSideApply);
    }

    /** A parsed strategic merge or apply patch, applied as an update (an apply of a missing object creates it). */
    private MockResponse applyPatch(RecordedRequest request, String path, JsonNode patch, boolean serverSideApply) {
        boolean statusPath = path.endsWith("/status");
        String objectPath = statusPath ? path.substring(0, path.length() - "/status".length()) : path;
        // through the index: the mock's own handleGet tests every stored object
        MockResponse current = handleGet(objectPath);
        if (current.code() == 404 && serverSideApply && !statusPath) {
            String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
            return super.dispatch(rewrite(request, HttpMethod.POST, collection, patch));
        }
        if (current.code() != 200) {
            return current;
        }
        try {
            JsonNode original = ApiCatalog.JSON.readTree(current.getBody().getBytes());
            JsonNode merged = StrategicMerge.apply(original, patch);
            if (merged.isObject() && original.path("metadata").has("resourceVersion")) {
                ((ObjectNode) merged.path("metadata")).put("resourceVersion",
                        original.path("metadata").path("resourceVersion").asString());
            }
            return super.dispatch(rewrite(request, HttpMethod.PUT, path, merged));
        } catch (tools.jackson.core.JacksonException e) {
            return status(500, "InternalError", e.getMessage());
        }
    }

    /** Applies each object of the array; stops at the first one refused, saying which. */
    private MockResponse batchApply(RecordedRequest request) {
        JsonNode items;
        try {
            items = ApiCatalog.JSON.readTree(request.getUtf8Body());
        } catch (tools.jackson.core.JacksonException e) {
            return status(400, "BadRequest", "batch apply: the body is not JSON: " + e.getMessage());
        }
        if (!items.isArray()) {
            return status(400, "BadRequest", "batch apply: the body must be a JSON array of objects");
        }
        int applied = 0;
        for (JsonNode item : items) {
            String apiVersion = item.path("apiVersion").asString("");
            String kind = item.path("kind").asString("");
            String name = item.path("metadata").path("name").asString("");
            Optional<ApiResource> resource = catalog.forKind(apiVersion, kind);
            if (resource.isEmpty() || name.isEmpty()) {
                return status(400, "BadRequest", "batch apply: item " + applied + " (" + apiVersion + " " + kind + " \"" + name
                        + "\"): " + (resource.isEmpty() ? "not a kind this server serves" : "no metadata.name")
                        + "; the " + applied + " before it were applied");
            }
            String path = resource.get().objectPath(item.path("metadata").path("namespace").asString("default"), name);
            MockResponse one = applyPatch(request, path, item, true);
            if (one.code() >= 300) {
                return one;
            }
            applied++;
        }
        ObjectNode done = ApiCatalog.JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Success").put("message", applied + " applied").put("code", 200);
        done.putObject("metadata");
        return json(200, done);
    }

    private static RecordedRequest rewrite(RecordedRequest request, HttpMethod method, String path, JsonNode body) {
        Headers headers = body == null ? request.getHeaders() : request.getHeaders().newBuilder()
                .set("Content-Type", "application/json").build();
        Buffer buffer = body == null ? request.getBody() : new Buffer().writeUtf8(body.toString());
        return new RecordedRequest(method.name() + " " + path + " HTTP/1.1", method, path, headers, buffer);
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode s = ApiCatalog.JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        s.putObject("metadata");
        return json(code, s);
    }
}
