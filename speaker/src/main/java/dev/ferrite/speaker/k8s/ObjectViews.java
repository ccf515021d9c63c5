package dev.ferrite.speaker.k8s;

import dev.ferrite.api.net.IpAddress;
import dev.ferrite.speaker.model.NodeView;
import dev.ferrite.speaker.model.ServiceKey;
import dev.ferrite.speaker.model.ServiceView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields the election needs out of Kubernetes objects in their JSON form, skipping
 * the rest unread. Pure.
 */
public final class ObjectViews {

    /** Label EndpointSlices carry to name their Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ObjectViews() {
    }

    /**
     * One object read: its store key ({@code namespace/name}, or the name of a cluster-scoped
     * object), its resource version, and its view, null when the speaker keeps nothing of it.
     */
    public record Read<T>(String key, String resourceVersion, T value) {
    }

    /** What a slice tells the election: its Service, its own name and the nodes of its ready endpoints. */
    public record SliceView(ServiceKey service, String name, Set<String> readyNodes) {

        public SliceView {
            readyNodes = Set.copyOf(readyNodes);
        }
    }

    /** The metadata fields read of every object. */
    static final class Meta {
        String namespace;
        String name;
        String uid;
        String resourceVersion;
        Map<String, String> labels = Map.of();

        /** The store key, null for an object without a name (a Status, say). */
        String key() {
            return name == null ? null : namespace == null ? name : namespace + "/" + name;
        }

        static Meta read(JsonReader in) {
            Meta m = new Meta();
            if (in.nextIsNull()) {
                return m;
            }
            in.beginObject();
            while (in.hasNext()) {
                switch (in.nextName()) {
                    case "namespace" -> m.namespace = in.nextString();
                    case "name" -> m.name = in.nextString();
                    case "uid" -> m.uid = in.nextString();
                    case "resourceVersion" -> m.resourceVersion = in.nextString();
                    case "labels" -> m.labels = strings(in);
                    default -> in.skipValue();
                }
            }
            in.endObject();
            return m;
        }
    }

    /**
     * A Service, with its announceable view, or none when it is not a LoadBalancer of this
     * speaker's class ({@code lbClass}; empty: class-less Services only, as the controller) or
     * has no ingress IP yet. The {@code ferrite.dev/ip-allocated-from-pool} annotation is not
     * read: the address alone names its pool, so announcing never waits for the controller's
     * later bookkeeping write.
     */
    public static Read<ServiceView> service(JsonReader in, Optional<String> lbClass) {
        Meta meta = new Meta();
        String type = null;
        String serviceClass = null;
        String policy = null;
        List<IpAddress> ips = new ArrayList<>();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> meta = Meta.read(in);
                case "spec" -> {
                    if (in.nextIsNull()) {
                        break;
                    }
                    in.beginObject();
                    while (in.hasNext()) {
                        switch (in.nextName()) {
                            case "type" -> type = in.nextString();
                            case "loadBalancerClass" -> serviceClass = in.nextString();
                            case "externalTrafficPolicy" -> policy = in.nextString();
                            default -> in.skipValue();
                        }
                    }
                    in.endObject();
                }
                case "status" -> readIngressIps(in, ips);
                default -> in.skipValue();
            }
        }
        in.endObject();
        ServiceView view = null;
        if ("LoadBalancer".equals(type) && lbClass.equals(Optional.ofNullable(serviceClass)) && !ips.isEmpty()
                && meta.name != null) {
            view = new ServiceView(new ServiceKey(meta.namespace, meta.name), meta.uid, meta.labels, ips,
                    "Local".equals(policy));
        }
        return new Read<>(meta.key(), meta.resourceVersion, view);
    }

    /** {@code status.loadBalancer.ingress[].ip}, each IP address once, in order. */
    private static void readIngressIps(JsonReader in, List<IpAddress> into) {
        if (in.nextIsNull()) {
            return;
        }
        in.beginObject();
        while (in.hasNext()) {
            if (!in.nextName().equals("loadBalancer")) {
                in.skipValue();
                continue;
            }
            if (in.nextIsNull()) {
                continue;
            }
            in.beginObject();
            while (in.hasNext()) {
                if (!in.nextName().equals("ingress")) {
                    in.skipValue();
                    continue;
                }
                if (in.nextIsNull()) {
                    continue;
                }
                in.beginArray();
                while (in.hasNext()) {
                    String ip = stringField(in, "ip");
                    IpAddress.parse(ip).filter(a -> !into.contains(a)).ifPresent(into::add);
                }
                in.endArray();
            }
            in.endObject();
        }
        in.endObject();
    }

    /**
     * An EndpointSlice: its Service (the {@value #SERVICE_NAME_LABEL} label; no view without it)
     * and the nodes of its ready endpoints. An absent {@code ready} condition counts as ready,
     * as the EndpointSlice API defines it.
     */
    public static Read<SliceView> slice(JsonReader in) {
        Meta meta = new Meta();
        Set<String> ready = new HashSet<>();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> meta = Meta.read(in);
                case "endpoints" -> {
                    if (in.nextIsNull()) {
                        break;
                    }
                    in.beginArray();
                    while (in.hasNext()) {
                        readEndpoint(in, ready);
                    }
                    in.endArray();
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        String service = meta.labels.get(SERVICE_NAME_LABEL);
        SliceView view = service == null || meta.name == null ? null
                : new SliceView(new ServiceKey(meta.namespace, service), meta.name, ready);
        return new Read<>(meta.key(), meta.resourceVersion, view);
    }

    private static void readEndpoint(JsonReader in, Set<String> ready) {
        String node = null;
        Boolean isReady = null;
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "nodeName" -> node = in.nextString();
                case "conditions" -> {
                    if (in.nextIsNull()) {
                        break;
                    }
                    in.beginObject();
                    while (in.hasNext()) {
                        if (in.nextName().equals("ready")) {
                            isReady = in.nextBoolean();
                        } else {
                            in.skipValue();
                        }
                    }
                    in.endObject();
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        if (node != null && !Boolean.FALSE.equals(isReady)) {
            ready.add(node);
        }
    }

    /** A Node: its labels, whether its network is unavailable, and its InternalIPs in order. */
    public static Read<NodeView> node(JsonReader in) {
        Meta meta = new Meta();
        boolean unavailable = false;
        List<IpAddress> internalIps = new ArrayList<>();
        in.beginObject();
        while (in.hasNext()) {
            switch (in.nextName()) {
                case "metadata" -> meta = Meta.read(in);
                case "status" -> {
                    if (in.nextIsNull()) {
                        break;
                    }
                    in.beginObject();
                    while (in.hasNext()) {
                        switch (in.nextName()) {
                            case "conditions" -> unavailable = readNetworkUnavailable(in);
                            case "addresses" -> readInternalIps(in, internalIps);
                            default -> in.skipValue();
                        }
                    }
                    in.endObject();
                }
                default -> in.skipValue();
            }
        }
        in.endObject();
        NodeView view = meta.name == null ? null : new NodeView(meta.name, meta.labels, unavailable, internalIps);
        return new Read<>(meta.key(), meta.resourceVersion, view);
    }

    private static boolean readNetworkUnavailable(JsonReader in) {
        boolean unavailable = false;
        if (in.nextIsNull()) {
            return false;
        }
        in.beginArray();
        while (in.hasNext()) {
            Map<String, String> c = strings(in);
            if ("NetworkUnavailable".equals(c.get("type")) && "True".equals(c.get("status"))) {
                unavailable = true;
            }
        }
        in.endArray();
        return unavailable;
    }

    private static void readInternalIps(JsonReader in, List<IpAddress> into) {
        if (in.nextIsNull()) {
            return;
        }
        in.beginArray();
        while (in.hasNext()) {
            Map<String, String> a = strings(in);
            if ("InternalIP".equals(a.get("type"))) {
                IpAddress.parse(a.get("address")).ifPresent(into::add);
            }
        }
        in.endArray();
    }

    /** An object's string members (labels, an address, a condition); other members skipped. */
    private static Map<String, String> strings(JsonReader in) {
        if (in.nextIsNull()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            if (in.peek() == JsonReader.Kind.STRING) {
                out.put(name, in.nextString());
            } else {
                in.skipValue();
            }
        }
        in.endObject();
        return out;
    }

    /** The items of a list the API server sent, each read by {@code item}. */
    public static <T> List<T> items(String json, java.util.function.Function<JsonReader, T> item) {
        JsonReader in = new JsonReader(json);
        List<T> out = new ArrayList<>();
        in.beginObject();
        while (in.hasNext()) {
            if (!in.nextName().equals("items")) {
                in.skipValue();
                continue;
            }
            if (in.nextIsNull()) {
                continue;
            }
            in.beginArray();
            while (in.hasNext()) {
                out.add(item.apply(in));
            }
            in.endArray();
        }
        in.endObject();
        in.end();
        return out;
    }

    /** One string member of an object (or null), the rest skipped; null when absent. */
    public static String stringField(JsonReader in, String field) {
        String out = null;
        if (in.nextIsNull()) {
            return null;
        }
        in.beginObject();
        while (in.hasNext()) {
            if (in.nextName().equals(field) && in.peek() == JsonReader.Kind.STRING) {
                out = in.nextString();
            } else {
                in.skipValue();
            }
        }
        in.endObject();
        return out;
    }
}
