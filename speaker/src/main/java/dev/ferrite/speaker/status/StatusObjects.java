package dev.ferrite.speaker.status;

import dev.ferrite.speaker.k8s.JsonReader;
import dev.ferrite.speaker.k8s.JsonWriter;
import dev.ferrite.speaker.k8s.ObjectViews;
import dev.ferrite.speaker.model.AddressConflict;
import dev.ferrite.speaker.model.ServiceAnnouncement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ServiceL2Status objects as the speaker writes and reads them, in their JSON form: the API
 * paths, the object it creates, the status it writes, and what it reads back of a stored one.
 * The fields and their names are those of {@code dev.ferrite.api.v1beta1.ServiceL2Status}
 * (the CRD's schema), written without its model classes.
 */
public final class StatusObjects {

    static final String API_VERSION = "ferrite.dev/v1beta1";
    static final String KIND = "ServiceL2Status";
    private static final String PLURAL = "servicel2statuses";

    private StatusObjects() {
    }

    /** The collection of the kind in {@code namespace}. */
    public static String collection(String namespace) {
        return "/apis/" + API_VERSION + "/namespaces/" + namespace + "/" + PLURAL;
    }

    static String object(String namespace, String name) {
        return collection(namespace) + "/" + name;
    }

    /**
     * One stored object: its name, its metadata as the API server sent it (canonical JSON, with
     * the resource version an update must carry), its status (canonical JSON; null when it has
     * none) and the IPs that status shows.
     */
    public record Stored(String name, String metadata, String status, List<String> ips) {

        public Stored {
            ips = List.copyOf(ips);
        }
    }

    /** One object as the API server sends it (a create's or an update's answer, a GET). */
    static Stored read(String json) {
        JsonReader in = new JsonReader(json);
        Stored out = read(in);
        in.end();
        return out;
    }

    /** The items of a list the API server sent. */
    public static List<Stored> items(String json) {
        return ObjectViews.items(json, StatusObjects::read);
    }

    private static Stored read(JsonReader in) {
        String metadata = "{}";
        String status = null;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> metadata = in.nextCanonical();
                case "status" -> status = in.nextCanonical();
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (status != null && status.equals("null")) {
            status = null;
        }
        return new Stored(ObjectViews.stringField(new JsonReader(metadata), "name"), metadata, status, status == null ? List.of() : ips(status));
    }

    /** {@code status.ips}: the strings of that array, in order. */
    private static List<String> ips(String status) {
        JsonReader in = new JsonReader(status);
        List<String> out = new ArrayList<>();
        in.beginObject();
        while (in.hasNext()) {
            if (!in.nextName().equals("ips") || in.peek() != JsonReader.Kind.ARRAY) {
                in.skipValue();
                continue;
            }
            in.beginArray();
            while (in.hasNext()) {
                if (in.peek() == JsonReader.Kind.STRING) {
                    out.add(in.nextString());
                } else {
                    in.skipValue();
                }
            }
            in.endArray();
        }
        in.endObject();
        return out;
    }

    /** A new object of {@code node} for {@code a}'s Service, labelled with both; no spec (it has no fields), no status (ignored on create). */
    static String created(String namespace, String name, String node, ServiceAnnouncement a) {
        return new JsonWriter().beginObject()
                .member("apiVersion", API_VERSION).member("kind", KIND)
                .name("metadata").beginObject()
                .member("name", name).member("namespace", namespace)
                .name("labels").beginObject()
                .member(StatusName.SERVICE_NAMESPACE_LABEL, StatusName.labelValue(a.service().namespace()))
                .member(StatusName.SERVICE_NAME_LABEL, StatusName.labelValue(a.service().name()))
                .member(StatusName.NODE_LABEL, StatusName.labelValue(node))
                .endObject()
                .endObject()
                .endObject().toString();
    }

    /** The object {@code current} with {@code status}: the body of a status update. */
    static String withStatus(Stored current, String status) {
        return new JsonWriter().beginObject()
                .member("apiVersion", API_VERSION).member("kind", KIND)
                .name("metadata").json(current.metadata())
                .name("status").json(status)
                .endObject().toString();
    }

    /**
     * What {@code node} announces of {@code a}, in canonical JSON: the node, the Service, its
     * IPs and interfaces; flow handoff's windows and the conflicts (with a condition per kind)
     * only when there are any.
     */
    static String status(String node, ServiceAnnouncement a) {
        JsonWriter w = new JsonWriter().beginObject()
                .member("node", node)
                .member("serviceName", a.service().name())
                .member("serviceNamespace", a.service().namespace());
        w.name("ips").beginArray();
        a.ips().forEach(ip -> w.value(ip.toString()));
        w.endArray();
        w.name("interfaces").beginArray();
        a.interfaces().forEach(i -> w.beginObject().member("name", i).endObject());
        w.endArray();
        if (!a.handoffs().isEmpty()) {
            w.name("handoffs").beginArray();
            a.handoffs().forEach(h -> w.beginObject().member("ip", h.ip().toString()).member("fromNode", h.fromNode())
                    .member("until", h.until().toString()).endObject());
            w.endArray();
        }
        if (!a.conflicts().isEmpty()) {
            w.name("conflicts").beginArray();
            for (AddressConflict c : a.conflicts()) {
                w.beginObject().member("ip", c.ip().toString()).member("kind", c.kind().wire());
                optional(w, "mac", c.mac());
                optional(w, "how", c.how());
                optional(w, "interfaceName", c.interfaceName());
                w.member("since", c.since().toString()).endObject();
            }
            w.endArray();
            w.name("conditions").beginArray();
            conditions(a.conflicts()).forEach(c -> w.beginObject().member("type", c.type()).member("status", "True")
                    .member("reason", c.reason()).member("message", c.message())
                    .member("lastTransitionTime", c.lastTransitionTime()).endObject());
            w.endArray();
        }
        return new JsonReader(w.endObject().toString()).nextCanonical();
    }

    private static void optional(JsonWriter w, String name, String value) {
        if (value != null) {
            w.member(name, value);
        }
    }

    /** A condition of the status, always True while present. */
    record Condition(String type, String reason, String message, String lastTransitionTime) {
    }

    /** One condition per kind of conflict present, since the oldest of that kind. */
    static List<Condition> conditions(List<AddressConflict> conflicts) {
        List<Condition> out = new ArrayList<>();
        for (AddressConflict.Kind kind : AddressConflict.Kind.values()) {
            List<AddressConflict> of = conflicts.stream().filter(c -> c.kind() == kind).toList();
            if (of.isEmpty()) {
                continue;
            }
            boolean inUse = kind == AddressConflict.Kind.IN_USE;
            String what = String.join("; ", of.stream().map(c -> c.ip() + " by " + c.mac() + " (" + c.how() + " on "
                    + c.interfaceName() + ")").toList());
            out.add(new Condition(
                    inUse ? StatusWriter.ADDRESS_IN_USE : StatusWriter.FOREIGN_CLAIM,
                    inUse ? "ProbeAnswered" : "ClaimSeen",
                    inUse ? "in use by a host outside the cluster, not announced: " + what
                            : "claimed by a host outside the cluster while announced: " + what,
                    of.stream().map(AddressConflict::since).min(Comparator.naturalOrder()).orElseThrow()
                            .truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        return out;
    }
}
