package dev.ferrite.speaker.quorum;

import dev.ferrite.api.JsonString;
import dev.ferrite.speaker.k8s.JsonReader;
import dev.ferrite.speaker.k8s.JsonWriter;
import dev.ferrite.speaker.k8s.ObjectViews;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@code coordination.k8s.io/v1} Lease in its JSON form: its metadata and spec as members in
 * canonical JSON, so that an update sends back every field it was read with (labels,
 * annotations, owner references, the resource version that makes the update conditional) and
 * changes only those the witness writes. Immutable.
 */
record LeaseObject(Map<String, String> metadata, Map<String, String> spec) {

    static final String API_VERSION = "coordination.k8s.io/v1";
    /** MicroTime, as the API writes a Lease's times. */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    LeaseObject {
        metadata = new TreeMap<>(metadata);
        spec = new TreeMap<>(spec);
    }

    static String collection(String namespace) {
        return "/apis/" + API_VERSION + "/namespaces/" + namespace + "/leases";
    }

    /** A new Lease: name, namespace, labels and annotations as given, and its spec. */
    static LeaseObject create(String name, String namespace, Map<String, String> labels, Map<String, String> annotations,
            Map<String, String> spec) {
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("name", JsonString.quote(name));
        metadata.put("namespace", JsonString.quote(namespace));
        metadata.put("labels", strings(labels));
        metadata.put("annotations", strings(annotations));
        return new LeaseObject(metadata, spec);
    }

    /** One Lease as the API server sends it. */
    static LeaseObject read(String json) {
        JsonReader in = new JsonReader(json);
        LeaseObject out = read(in);
        in.end();
        return out;
    }

    /** The items of a list of Leases. */
    static List<LeaseObject> items(String json) {
        return ObjectViews.items(json, LeaseObject::read);
    }

    private static LeaseObject read(JsonReader in) {
        String metadata = "null";
        String spec = "null";
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> metadata = in.nextCanonical();
                case "spec" -> spec = in.nextCanonical();
                default -> in.skipValue();
            }
        }
        in.endObject();
        return new LeaseObject(JsonReader.members(metadata), JsonReader.members(spec));
    }

    String name() {
        return metadataString("name");
    }

    String resourceVersion() {
        return metadataString("resourceVersion");
    }

    /** {@code spec.holderIdentity}; empty when absent or blank. */
    Optional<String> holder() {
        String h = string(spec.get("holderIdentity"));
        return h == null || h.isBlank() ? Optional.empty() : Optional.of(h);
    }

    /** The annotation {@code key}, or null. */
    String annotation(String key) {
        return string(JsonReader.members(metadata.getOrDefault("annotations", "null")).get(key));
    }

    /** The same Lease with the annotation {@code key} set to {@code value}. */
    LeaseObject withAnnotation(String key, String value) {
        TreeMap<String, String> annotations = JsonReader.members(metadata.getOrDefault("annotations", "null"));
        annotations.put(key, JsonString.quote(value));
        Map<String, String> m = new TreeMap<>(metadata);
        m.put("annotations", new JsonWriter().object(annotations).toString());
        return new LeaseObject(m, spec);
    }

    /** The same Lease with spec member {@code name} set to {@code json}, or removed when it is null. */
    LeaseObject withSpec(String name, String json) {
        Map<String, String> s = new TreeMap<>(spec);
        if (json == null) {
            s.remove(name);
        } else {
            s.put(name, json);
        }
        return new LeaseObject(metadata, s);
    }

    /** The whole object, the body of a create or an update. */
    String json() {
        return new JsonWriter().beginObject()
                .member("apiVersion", API_VERSION).member("kind", "Lease")
                .name("metadata").object(metadata)
                .name("spec").object(spec)
                .endObject().toString();
    }

    /** {@code at} as a Lease's time field, in JSON. */
    static String time(ZonedDateTime at) {
        return JsonString.quote(MICRO_TIME.format(at.withZoneSameInstant(ZoneOffset.UTC)));
    }

    private String metadataString(String member) {
        return string(metadata.get(member));
    }

    /** A canonical JSON value as a string; null unless it is a JSON string. */
    private static String string(String json) {
        if (json == null || !json.startsWith("\"")) {
            return null;
        }
        return new JsonReader(json).nextString();
    }

    private static String strings(Map<String, String> values) {
        Map<String, String> quoted = new TreeMap<>();
        values.forEach((k, v) -> quoted.put(k, JsonString.quote(v)));
        return new JsonWriter().object(quoted).toString();
    }
}
