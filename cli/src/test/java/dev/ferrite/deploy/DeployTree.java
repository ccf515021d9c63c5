package dev.ferrite.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests under {@code deploy/} as {@code kubectl apply -k} would send them, without
 * kustomize: each kustomization's resources in order, directories followed into their own
 * kustomization. Patches and image overrides are not applied; tests that need the patched
 * shape read the patch files themselves.
 */
final class DeployTree {

    /** One YAML document and the file it came from. */
    record Manifest(Path file, JsonNode doc) {
        String kind() {
            return doc.path("kind").asString();
        }

        String name() {
            return doc.path("metadata").path("name").asString();
        }

        String namespace() {
            return doc.path("metadata").path("namespace").asString("");
        }

        <T> T as(Class<T> type) {
            return SERIALIZATION.convertValue(doc, type);
        }

        @Override
        public String toString() {
            return kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name() + " (" + file.getFileName() + ")";
        }
    }

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private DeployTree() {
    }

    /** The repository root: the nearest directory upwards holding deploy/kustomization.yaml. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("deploy/kustomization.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no deploy/kustomization.yaml above " + dir);
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    /** Every document of a (multi-document) YAML file; empty documents are skipped. */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode d = it.nextValue();
                if (d != null && !d.isNull() && !d.isMissingNode() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        } catch (JacksonException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        return docs;
    }

    /** The single document of a file that must hold exactly one. */
    static JsonNode document(Path file) {
        List<JsonNode> docs = documents(file);
        if (docs.size() != 1) {
            throw new AssertionError(file + " holds " + docs.size() + " documents, expected 1");
        }
        return docs.get(0);
    }

    /** The paths a kustomization.yaml lists under {@code key} (resources, components), resolved. */
    static List<Path> listed(Path kustomizationDir, String key) {
        JsonNode k = document(kustomizationDir.resolve("kustomization.yaml"));
        List<Path> paths = new ArrayList<>();
        k.path(key).forEach(n -> paths.add(kustomizationDir.resolve(n.asString()).normalize()));
        return paths;
    }

    /** The patch files a kustomization.yaml lists. */
    static List<Path> patches(Path kustomizationDir) {
        JsonNode k = document(kustomizationDir.resolve("kustomization.yaml"));
        List<Path> paths = new ArrayList<>();
        k.path("patches").forEach(n -> paths.add(kustomizationDir.resolve(n.path("path").asString()).normalize()));
        k.path("patchesStrategicMerge").forEach(n -> paths.add(kustomizationDir.resolve(n.asString()).normalize()));
        return paths;
    }

    /** The documents {@code kubectl apply -k dir} would create (patches aside), in order. */
    static List<Manifest> render(Path kustomizationDir) {
        List<Manifest> out = new ArrayList<>();
        List<Path> sources = new ArrayList<>(listed(kustomizationDir, "resources"));
        sources.addAll(listed(kustomizationDir, "components"));
        for (Path p : sources) {
            if (Files.isDirectory(p)) {
                out.addAll(render(p));
            } else {
                documents(p).forEach(d -> out.add(new Manifest(p, d)));
            }
        }
        return out;
    }

    /** The default install: {@code kubectl apply -k deploy/}. */
    static List<Manifest> install() {
        return render(deploy());
    }

    static Optional<Manifest> find(List<Manifest> manifests, String kind, String name) {
        return manifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst();
    }

    static Manifest get(List<Manifest> manifests, String kind, String name) {
        return find(manifests, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name
                + " among " + manifests));
    }

    static <T extends HasMetadata> List<T> all(List<Manifest> manifests, Class<T> type) {
        String kind = HasMetadata.getKind(type);
        return manifests.stream().filter(m -> m.kind().equals(kind)).map(m -> m.as(type)).toList();
    }
}
